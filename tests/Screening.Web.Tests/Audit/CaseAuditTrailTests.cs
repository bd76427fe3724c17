using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Audit;

/// <summary>
/// GET /api/cases/{id}/audit and GET /api/audit/verify on an untouched log. Nothing here edits the log or
/// moves the clock, so the class shares one host.
/// </summary>
public sealed partial class CaseAuditTrailTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task AnOfficerOfTheHostReadsEveryRecordedEventOfTheCaseWithItsHash()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());

        var trail = (await factory.As(ScreeningFactory.OfficerCa2).RawGet($"/api/cases/{id}/audit")).AssertSuccess().AsArray();

        var stored = await factory.StoredAuditAsync(id);
        Assert.Equal(stored.Select(e => e.Seq), trail.Select(e => e!["seq"]!.GetValue<long>()));
        Assert.Equal(stored.Select(e => e.Hash), trail.Select(e => e.S("hash")));
        Assert.Equal(stored.Select(e => e.Action), trail.Select(e => e.S("action")));
        Assert.Equal(stored.Select(e => e.Actor), trail.Select(e => e.S("actor")));
        Assert.All(trail, e =>
        {
            Assert.Matches(HashPattern(), e.S("hash"));
            Assert.EndsWith("Z", e.S("at"), StringComparison.Ordinal);
            Assert.True(DateTimeOffset.TryParse(e.S("at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.NotNull(e!["data"]);
        });
        Assert.Equal("case.submitted", trail[0].S("action"));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Applicant), trail[0].S("actor"));
        Assert.Equal("CA", trail[0]!["data"].S("host"));
        var completed = trail.Single(e => e.S("action") == "task.completed");
        Assert.Equal(("intake-review", "certify"), (completed!["data"].S("step"), completed["data"].S("outcome")));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.OfficerCa), completed.S("actor"));
        Assert.Contains(trail, e => e.S("action") == "task.claimed");
    }

    [Theory]
    [InlineData(ScreeningFactory.DecisionCa)]
    [InlineData(ScreeningFactory.Admin)]
    public async Task ADecisionMakerOfTheHostAndAnAdminReadTheSameTrail(string user)
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var trail = (await factory.As(user).RawGet($"/api/cases/{id}/audit")).AssertSuccess().AsArray();

        Assert.Equal((await factory.StoredAuditAsync(id)).Select(e => e.Hash), trail.Select(e => e.S("hash")));
    }

    [Fact]
    public async Task ThePartnerReadsTheTrailOfABilateralCaseItTakesPartIn()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());

        var trail = (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{id}/audit")).AssertSuccess().AsArray();

        Assert.Equal((await factory.StoredAuditAsync(id)).Count, trail.Count);
    }

    [Fact]
    public async Task TheApplicantCannotReadTheAuditTrailOfItsOwnCase403()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var response = await factory.As(ScreeningFactory.Applicant).RawGet($"/api/cases/{id}/audit");

        response.AssertProblem(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("case.submitted", response.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerMx)]
    [InlineData(ScreeningFactory.DecisionMx)]
    public async Task AnOfficialOfAJurisdictionNotTakingPartGets404(string mexican)
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        Assert.Equal("CA", (await factory.StoredCaseAsync(id)).Jurisdictions);

        var response = await factory.As(mexican).RawGet($"/api/cases/{id}/audit");

        response.AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain("task.", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheTrailOfAnUnknownCaseIs404AndWithoutATokenIs401()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        (await factory.As(ScreeningFactory.Admin).RawGet($"/api/cases/{Guid.NewGuid()}/audit")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.Anonymous().RawGet($"/api/cases/{id}/audit")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnUntouchedLogVerifiesWithEveryEntryCounted()
    {
        await _steps.FileCertifiedAsync(Scenario.LowRiskCa());

        var verify = (await factory.As(ScreeningFactory.Admin).RawGet("/api/audit/verify")).AssertSuccess();

        Assert.True(verify["valid"]!.GetValue<bool>());
        Assert.Equal(await factory.QueryAsync(db => db.Audit.LongCountAsync()), verify["entries"]!.GetValue<long>());
        Assert.Null(verify["firstBrokenSeq"]);
        var seqs = await factory.QueryAsync(db => db.Audit.AsNoTracking().OrderBy(a => a.Seq).Select(a => a.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.DecisionCa)]
    [InlineData(ScreeningFactory.Applicant)]
    public async Task OnlyAnAdminVerifiesTheLog403(string user)
    {
        var response = await factory.As(user).RawGet("/api/audit/verify");

        response.AssertProblem(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("valid", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyingWithoutATokenIs401()
    {
        (await factory.Anonymous().RawGet("/api/audit/verify")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex HashPattern();
}
