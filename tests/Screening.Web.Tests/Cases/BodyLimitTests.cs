using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// Bodies over 1 MB are refused with 413 on every JSON endpoint. The limit is the server's, so these tests run
/// against a real Kestrel server (the in-memory test server enforces no body limit). One host for the class.
/// </summary>
public sealed class BodyLimitTests(KestrelScreeningFactory factory) : IClassFixture<KestrelScreeningFactory>
{
    private static readonly string OverOneMegabyte = new('x', 1_100_000);

    [Fact]
    public async Task AFilingOverOneMegabyteIs413AndNothingIsStored()
    {
        var filing = Scenario.HighRiskCa();
        filing["summary"] = OverOneMegabyte;

        var response = await Send(factory.As(ScreeningFactory.Applicant), HttpMethod.Post, "/api/cases", filing);

        response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await factory.QueryAsync(db => db.Cases.CountAsync(c => c.InvestorName == "Harbour Resources Holdings")));
    }

    [Fact]
    public async Task EveryOtherJsonEndpointRefusesABodyOverOneMegabyteWith413AndChangesNothing()
    {
        var caseId = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var taskId = await new CaseSteps(factory).ClaimAsync(ScreeningFactory.OfficerCa, caseId, "intake-review");
        var admin = factory.As(ScreeningFactory.Admin);
        var definition = (await admin.Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition["description"] = OverOneMegabyte;

        var responses = new[]
        {
            await Send(factory.As(ScreeningFactory.OfficerCa), HttpMethod.Post, $"/api/tasks/{taskId}/complete", new { outcome = "certify", comment = OverOneMegabyte }),
            await Send(factory.As(ScreeningFactory.OfficerCa), HttpMethod.Post, $"/api/tasks/{taskId}/request-information", new { question = OverOneMegabyte, dueInDays = 10 }),
            await Send(admin, HttpMethod.Put, "/api/calendars/CA", new { weekend = new[] { 6, 0 }, holidays = Array.Empty<string>(), name = OverOneMegabyte }),
            await Send(admin, HttpMethod.Put, "/api/workflow-definitions/bilateral-screening/draft", definition),
            await Send(factory.Anonymous(), HttpMethod.Post, "/api/auth/register", new { email = "big.body@example.com", password = OverOneMegabyte }),
        };

        Assert.All(responses, r => r.AssertProblem(HttpStatusCode.RequestEntityTooLarge));
        var task = await factory.StoredTaskAsync(taskId);
        Assert.Equal(("claimed", (string?)null), (task.Status, task.Comment));
        Assert.Equal("Canada (federal)", await factory.QueryAsync(db => db.Calendars.Where(c => c.Code == "CA").Select(c => c.Name).SingleAsync()));
        Assert.False(await factory.QueryAsync(db => db.Definitions.AnyAsync(d => !d.IsPublished)));
        Assert.False(await factory.QueryAsync(db => db.Users.AnyAsync(u => u.Email == "big.body@example.com")));
    }

    [Fact]
    public async Task ABodyJustUnderTheLimitIsReadAndJudgedOnItsFields()
    {
        var filing = Scenario.HighRiskCa();
        filing["summary"] = new string('x', 1_000_000);

        var response = await Send(factory.As(ScreeningFactory.Applicant), HttpMethod.Post, "/api/cases", filing);

        response.AssertValidation("$.summary");
    }

    /// <summary>
    /// Sends with <c>Expect: 100-continue</c>, as a client uploading a large body should: the server refuses an
    /// oversized body before it is sent, so the refusal is read rather than lost in a connection reset.
    /// </summary>
    private static Task<RawResponse> Send(HttpClient client, HttpMethod method, string url, object body) =>
        client.Raw(method, url, RawHttp.Serialize(body), new Dictionary<string, string> { ["Expect"] = "100-continue" });
}
