using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// GET /api/cases and GET /api/cases/{id}: who sees which case, what each sees, and paging.
/// One host for the class: no test here moves the clock.
/// </summary>
public sealed class CaseReadingTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task AnApplicantReadsItsNewCaseWithoutAnyGovernmentField()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var view = await factory.As(ScreeningFactory.Applicant).RawGet($"/api/cases/{id}");

        var body = view.AssertSuccess();
        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal((id, stored.Reference, "submitted", "completeness"), (body.S("id"), body.S("reference"), body.S("status"), body.S("stage")));
        Assert.Equal(["CA"], body["jurisdictions"]!.AsArray().Select(j => j!.GetValue<string>()));
        Assert.Empty(body["clocks"]!.AsArray());
        Assert.Empty(body["openRequests"]!.AsArray());
        Assert.Null(body["decision"]);
        Assert.Equal(["Filing submitted"], body["timeline"]!.AsArray().Select(e => e.S("event")));
        Assert.Null(body["riskLevel"]);
        Assert.Null(body["comments"]);
        Assert.Null(body["tasks"]);
        Assert.Null(body["firedRules"]);
        Assert.Equal("Boreal Copper Inc.", body["filing"]!["target"].S("name"));
        Assert.Equal(stored.Status, body.S("status"));
    }

    [Fact]
    public async Task AnOfficerOfTheHostReadsTheClockRiskAndTasksOfACertifiedCase()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());

        var body = (await factory.As(ScreeningFactory.OfficerCa2).RawGet($"/api/cases/{id}")).AssertSuccess();

        Assert.Equal(("in-review", "low"), (body.S("status"), body.S("riskLevel")));
        var clock = Assert.Single(body["clocks"]!.AsArray())!;
        Assert.Equal(("statutory", "CA", "calendar-holiday-rolling", "2027-02-18"), (clock.S("name"), clock.S("jurisdiction"), clock.S("unit"), clock.S("dueAt")));
        Assert.True(clock["running"]!.GetValue<bool>());
        Assert.Equal(45, clock["remainingDays"]!.GetValue<int>());
        Assert.True(DateTimeOffset.TryParse(clock.S("startedAt"), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.EndsWith("Z", clock.S("startedAt"), StringComparison.Ordinal);
        var tasks = body["tasks"]!.AsArray();
        Assert.Equal(["intake-review", "host-review"], tasks.Select(t => t.S("step")));
        Assert.Equal(["completed", "open"], tasks.Select(t => t.S("status")));
        Assert.Contains(body["timeline"]!.AsArray(), e => e.S("event") == "Task 'intake-review' completed: certify");

        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal(("in-review", "low", "CA"), (stored.Status, stored.RiskLevel, stored.Jurisdictions));
        Assert.Equal(tasks.Select(t => t.S("id")), (await factory.StoredTasksAsync(id)).Select(t => t.Id.ToString()));
    }

    [Fact]
    public async Task APartnerOfficerReadsABilateralCaseOnceItsConsultationIsOpen()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.HighRiskCa());
        (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{id}")).AssertProblem(HttpStatusCode.NotFound);

        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        var body = (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{id}")).AssertSuccess();

        Assert.Equal(["CA", "MX"], body["jurisdictions"]!.AsArray().Select(j => j!.GetValue<string>()));
        Assert.Equal("high", body.S("riskLevel"));
        Assert.Contains(body["tasks"]!.AsArray(), t => t.S("step") == "partner-consultation" && t.S("jurisdiction") == "MX");
        Assert.Equal("CA,MX", (await factory.StoredCaseAsync(id)).Jurisdictions);
    }

    [Fact]
    public async Task AnotherApplicantGets404ForACaseThatIsNotItsOwnAndLearnsNothingOfIt()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var reference = (await factory.StoredCaseAsync(id)).Reference;

        var response = await factory.As(ScreeningFactory.OtherApplicant).RawGet($"/api/cases/{id}");

        response.AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain(reference, response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Boreal", response.Text, StringComparison.Ordinal);
        var unknown = await factory.As(ScreeningFactory.OtherApplicant).RawGet($"/api/cases/{Guid.NewGuid()}");
        Assert.Equal(unknown.Json!["detail"]?.ToJsonString(), response.Json!["detail"]?.ToJsonString());
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerMx)]
    [InlineData(ScreeningFactory.DecisionMx)]
    public async Task AnOfficialOfTheOtherJurisdictionGets404ForACanadaOnlyCase(string mexican)
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        Assert.Equal("CA", (await factory.StoredCaseAsync(id)).Jurisdictions);

        (await factory.As(mexican).RawGet($"/api/cases/{id}")).AssertProblem(HttpStatusCode.NotFound);

        var listed = (await factory.As(mexican).RawGet("/api/cases?pageSize=100")).AssertSuccess().AsArray();
        Assert.DoesNotContain(listed, c => c.S("id") == id);
    }

    [Fact]
    public async Task AnAdminAndADecisionMakerOfTheHostReadAnyCaseOfTheirReach()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var admin = (await factory.As(ScreeningFactory.Admin).RawGet($"/api/cases/{id}")).AssertSuccess();
        var decision = (await factory.As(ScreeningFactory.DecisionCa).RawGet($"/api/cases/{id}")).AssertSuccess();

        Assert.Equal(id, admin.S("id"));
        Assert.Equal(id, decision.S("id"));
        Assert.NotNull(admin["tasks"]);
        Assert.Single(decision["tasks"]!.AsArray());
    }

    [Fact]
    public async Task AnUnknownCaseIs404AndAnIdThatIsNotAGuidIsNotFoundEither()
    {
        (await factory.As(ScreeningFactory.Admin).RawGet($"/api/cases/{Guid.NewGuid()}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.Admin).RawGet("/api/cases/not-a-guid")).Status);
    }

    [Fact]
    public async Task ReadingCasesWithoutATokenIs401()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        (await factory.Anonymous().RawGet($"/api/cases/{id}")).AssertProblem(HttpStatusCode.Unauthorized);
        (await factory.Anonymous().RawGet("/api/cases")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnApplicantListsExactlyItsOwnCasesWithTheirTotal()
    {
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var theirs = await _steps.Scenario.FileAsync(Scenario.JointMx(), ScreeningFactory.OtherApplicant);
        var applicantId = await factory.UserIdAsync(ScreeningFactory.Applicant);
        var own = (await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.ApplicantId == applicantId).Select(c => c.Id).ToListAsync())).Select(g => g.ToString()).ToList();

        var response = await factory.As(ScreeningFactory.Applicant).RawGet("/api/cases?pageSize=100");

        var items = response.AssertSuccess().AsArray();
        Assert.Equal(own.Order(), items.Select(c => c.S("id")).Order());
        Assert.DoesNotContain(items, c => c.S("id") == theirs);
        Assert.Equal(own.Count.ToString(CultureInfo.InvariantCulture), response.Header("X-Total-Count"));
        Assert.All(items, c => Assert.Null(c!["riskLevel"]));
        var first = items[0]!;
        Assert.False(string.IsNullOrEmpty(first.S("reference")));
        Assert.False(string.IsNullOrEmpty(first.S("status")));
    }

    [Fact]
    public async Task OfficialsListTheCasesTheirJurisdictionTakesPartInAndAnAdminListsAll()
    {
        var canadian = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var mexican = await _steps.Scenario.FileAsync(Scenario.LowRiskMx());

        var ca = await factory.As(ScreeningFactory.OfficerCa).RawGet("/api/cases?pageSize=100");
        var mx = await factory.As(ScreeningFactory.DecisionMx).RawGet("/api/cases?pageSize=100");
        var admin = await factory.As(ScreeningFactory.Admin).RawGet("/api/cases?pageSize=100");

        var caIds = ca.AssertSuccess().AsArray().Select(c => c.S("id")).ToList();
        var mxIds = mx.AssertSuccess().AsArray().Select(c => c.S("id")).ToList();
        Assert.Contains(canadian, caIds);
        Assert.DoesNotContain(mexican, caIds);
        Assert.Contains(mexican, mxIds);
        Assert.DoesNotContain(canadian, mxIds);
        var withCa = await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.Jurisdictions.Contains("CA")).CountAsync());
        Assert.Equal(withCa.ToString(CultureInfo.InvariantCulture), ca.Header("X-Total-Count"));
        Assert.Equal((await factory.CaseCountAsync()).ToString(CultureInfo.InvariantCulture), admin.Header("X-Total-Count"));
        Assert.Equal("low", ca.Json!.AsArray().First(c => c.S("id") == canadian).S("riskLevel"));
    }

    [Fact]
    public async Task PagesOfCasesDoNotOverlapAndTogetherMakeTheFirstItems()
    {
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var admin = factory.As(ScreeningFactory.Admin);

        var all = (await admin.Get("/api/cases?pageSize=100").Ok()).AsArray().Select(c => c.S("id")).ToList();
        var page1 = (await admin.Get("/api/cases?page=1&pageSize=1").Ok()).AsArray();
        var page2 = (await admin.Get("/api/cases?page=2&pageSize=1").Ok()).AsArray();
        var beyond = (await admin.Get($"/api/cases?page={all.Count + 1}&pageSize=1").Ok()).AsArray();

        Assert.True(all.Count >= 2);
        Assert.Equal(all[0], Assert.Single(page1).S("id"));
        Assert.Equal(all[1], Assert.Single(page2).S("id"));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task APageFarBeyondTheLastIsEmptyNotTheFirstPageAgain()
    {
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        Assert.NotEmpty((await factory.As(ScreeningFactory.Applicant).Get("/api/cases?page=1&pageSize=100").Ok()).AsArray());

        var response = await factory.As(ScreeningFactory.Applicant).RawGet($"/api/cases?page={int.MaxValue}&pageSize=100");

        if (response.Status == HttpStatusCode.BadRequest)
        {
            response.AssertValidation("page");
        }
        else
        {
            Assert.Empty(response.AssertSuccess().AsArray());
        }
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=-3&pageSize=10", "page")]
    public async Task OutOfRangePagingIs400(string query, string key)
    {
        (await factory.As(ScreeningFactory.Applicant).RawGet($"/api/cases?{query}")).AssertValidation(key);
    }

    [Fact]
    public async Task PagingThatIsNotANumberIs400()
    {
        var response = await factory.As(ScreeningFactory.Applicant).RawGet("/api/cases?pageSize=lots");

        response.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains("pageSize", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheApplicantsTimelineShowsMilestonesButNoInternalTaskEvents()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());

        var events = (await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok())["timeline"]!.AsArray().Select(e => e.S("event")).ToList();

        Assert.Contains("Filing submitted", events);
        Assert.Contains("Status: in-review", events);
        Assert.DoesNotContain(events, e => e.Contains("Task", StringComparison.Ordinal));
        var audit = await factory.StoredAuditAsync(id);
        Assert.Contains(audit, a => a.Action == "task.completed");
    }
}
