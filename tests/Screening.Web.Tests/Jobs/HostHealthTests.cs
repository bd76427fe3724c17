using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Jobs;

/// <summary>GET /health (database and job storage) and the administrators' jobs dashboard. One host for the class.</summary>
public sealed class HostHealthTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task HealthIs200WhenTheDatabaseAndTheJobStorageAnswer()
    {
        var response = await factory.Anonymous().RawGet("/health");

        var body = response.AssertSuccess();
        Assert.Equal("healthy", body.S("status"));
        Assert.Equal("healthy", body["checks"]!["database"].S("status"));
        Assert.Equal("healthy", body["checks"]!["jobs"].S("status"));
        // An operator reads which database and which job storage answered.
        Assert.Equal(TestDatabase.IsPostgreSql ? "PostgreSQL answers." : "SQLite answers.", body["checks"]!["database"].S("description"));
        Assert.Equal($"This node runs no job server; the job storage ({(TestDatabase.IsPostgreSql ? "PostgreSQL" : "memory")}) answers.", body["checks"]!["jobs"].S("description"));
        Assert.True(await factory.QueryAsync(db => db.Database.CanConnectAsync()));
        Assert.True(await factory.QueryAsync(db => db.Users.AnyAsync()));
    }

    [Fact]
    public async Task TheJobsDashboardIsForAdminsOnly()
    {
        var admin = await factory.As(ScreeningFactory.Admin).RawGet("/jobs");
        var officer = await factory.As(ScreeningFactory.OfficerCa).RawGet("/jobs");
        var decisionMaker = await factory.As(ScreeningFactory.DecisionCa).RawGet("/jobs");
        var applicant = await factory.As(ScreeningFactory.Applicant).RawGet("/jobs");
        var anonymous = await factory.Anonymous().RawGet("/jobs");

        Assert.Equal(
            (HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Unauthorized),
            (admin.Status, officer.Status, decisionMaker.Status, applicant.Status, anonymous.Status));
        Assert.Equal("text/html", admin.MediaType);
        Assert.Contains("Screening jobs", admin.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Screening jobs", officer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Screening jobs", anonymous.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Screening jobs", applicant.Text, StringComparison.Ordinal);
    }
}
