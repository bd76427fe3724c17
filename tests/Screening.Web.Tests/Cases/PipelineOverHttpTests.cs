using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// Each path of the shipped pipeline, end to end over HTTP with simulated time from Monday 4 January 2027.
/// Every test has a host and database of its own, so its dates do not depend on other tests.
/// </summary>
public sealed class PipelineOverHttpTests : IDisposable
{
    private readonly ScreeningFactory _factory = new();
    private readonly Scenario _scenario;

    public PipelineOverHttpTests()
    {
        _scenario = new Scenario(_factory);
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ALowRiskCanadianCaseEndsByOperationOfLawWhenTheInitialPeriodPassesWithoutANotice()
    {
        var id = await _scenario.FileAsync(Scenario.LowRiskCa());
        var filed = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("submitted", "completeness", "voluntary-notification"), (filed.S("status"), filed.S("stage"), filed.S("filingKind")));
        Assert.Empty(filed["clocks"]!.AsArray());

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        var inReview = await _scenario.CaseAsync(ScreeningFactory.OfficerCa, id);
        var clock = inReview["clocks"]![0]!;
        // 45 days from the receipt of the complete filing on Monday 4 January: Thursday 18 February 2027.
        Assert.Equal(("statutory", "CA", "calendar-holiday-rolling", "2027-01-04", "2027-02-18", 45),
            (clock.S("name"), clock.S("jurisdiction"), clock.S("unit"), clock.S("startedOn"), clock.S("dueAt"), clock["remainingDays"]!.GetValue<int>()));
        Assert.Equal("2027-02-03", clock.S("targetAt")); // the officials' own target, day 30
        Assert.Null((await _scenario.CaseAsync(ScreeningFactory.Applicant, id))["clocks"]![0]!["targetAt"]);

        await _scenario.AdvanceAsync(3);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "host-review", "recommend-clear", "No concerns.");
        await _scenario.AdvanceAsync(42); // 18 February, 15:00 UTC: the last day is not over in Ottawa
        Assert.Equal("in-review", (await _scenario.CaseAsync(ScreeningFactory.Applicant, id)).S("status"));
        await _scenario.AdvanceAsync(1);

        var decided = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("decided", "cleared", "operation-of-law", "2027-02-19T05:00:00Z"),
            (decided.S("status"), decided["decision"].S("outcome"), decided["decision"].S("authority"), decided["decision"].S("decidedAt")));
        Assert.StartsWith("ICA ss. 25.2(1), 25.3(1)", decided["decision"].S("basis"), StringComparison.Ordinal);
        Assert.Equal((false, 0, "expired"), (decided["clocks"]![0]!["running"]!.GetValue<bool>(), decided["clocks"]![0]!["remainingDays"]!.GetValue<int>(), decided["clocks"]![0].S("state")));
        var events = decided["timeline"]!.AsArray().Select(e => e.S("event")).ToList();
        Assert.Contains("Filing submitted", events);
        Assert.Contains("Decision: cleared", events);
        Assert.DoesNotContain("Decision of CA: cleared", events); // one government decided: the case's decision says it
        var officials = (await _scenario.CaseAsync(ScreeningFactory.OfficerCa, id))["timeline"]!.AsArray().Select(e => e.S("event")).ToList();
        Assert.Contains("Decision of CA: cleared", officials);
        Assert.DoesNotContain(events, e => e.Contains("Task", StringComparison.Ordinal));

        var tasks = await _factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(id)).OrderBy(t => t.CreatedAt).ToListAsync());
        Assert.Equal(["intake-review", "host-review", "ca-await-period"], tasks.Select(t => t.StepId));
        Assert.All(tasks, t => Assert.Equal(TaskStatuses.Completed, t.Status));
        Assert.Equal(("period-ended", "system"), (tasks[^1].Outcome, tasks[^1].CompletedBy));
        var verify = await _factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AS252NoticeDatedTheDayItWasSentStartsItsOwnFortyFiveDaysAndThePartnersCommentStaysHidden()
    {
        const string secret = "Mexico notes links between the investor and a state buyer.";
        var id = await _scenario.FileAsync(Scenario.HighRiskCa());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "partner-consultation", "comment", secret);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "host-review", "escalate");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "consider-partner-comments", "considered", "Offtake condition weighed.");
        await _scenario.AdvanceAsync(18); // Friday 22 January

        // An act cannot take effect on a day still to come, nor before its task opened; on 20 January it can.
        (await _scenario.CompleteOnAsync(ScreeningFactory.DecisionCa, id, "minister-initial", "send-notice", "2027-01-25")).AssertValidation("$.effectiveOn");
        var minister = await _factory.QueryAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.CaseId == Guid.Parse(id) && t.StepId == "minister-initial"));
        (await _factory.As(ScreeningFactory.DecisionCa).RawPost($"/api/tasks/{minister.Id}/complete", new { outcome = "send-notice", effectiveOn = "2027-01-03" })).AssertValidation("$.effectiveOn");
        (await _factory.As(ScreeningFactory.DecisionCa).RawPost($"/api/tasks/{minister.Id}/complete", new { outcome = "send-notice", effectiveOn = "2027-01-20" })).AssertSuccess();

        var government = await _scenario.CaseAsync(ScreeningFactory.OfficerCa, id);
        // 45 days from the notice of Wednesday 20 January end on Saturday 6 March, which is not a holiday.
        Assert.Equal(("notice-period", "2027-01-20", "2027-03-06"), (government.S("stage"), government["clocks"]![0].S("startedOn"), government["clocks"]![0].S("dueAt")));
        Assert.Contains(government["comments"]!.AsArray(), c => c.S("comment") == secret && c.S("jurisdiction") == "MX");
        var notices = (await _factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}/audit").Ok()).AsArray()
            .SelectMany(e => e!["data"]!["notices"]?.AsArray() ?? []).ToList();
        Assert.Equal(("s25.2-notice", "2027-01-20", "ICA s. 25.2(1)"), (notices.Single()!.S("kind"), notices.Single()!.S("effectiveOn"), notices.Single()!.S("basis")));

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "notice-review", "recommend-no-order");
        await _scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "minister-after-notice", "no-order");

        var applicantView = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("decided", "cleared", "minister", "ICA s. 25.2(4)(b)"),
            (applicantView.S("status"), applicantView["decision"].S("outcome"), applicantView["decision"].S("authority"), applicantView["decision"].S("basis")));
        var text = applicantView.ToJsonString();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Offtake condition weighed", text, StringComparison.Ordinal);
        Assert.Null(applicantView["comments"]);
        Assert.Null(applicantView["riskLevel"]);
    }

    [Fact]
    public async Task ACanadianOfficialOpensACaseForAnInvestmentNeverFiledWithinFiveYearsOfItsImplementation()
    {
        var filing = Scenario.LowRiskCa();
        filing["implementedOn"] = "2026-06-30";

        var opened = await _factory.As(ScreeningFactory.OfficerCa).Post("/api/cases/initiated", filing).Ok(HttpStatusCode.Created);

        var view = await _scenario.CaseAsync(ScreeningFactory.OfficerCa, opened.S("id"));
        // Five years from 30 June 2026: Monday 30 June 2031.
        Assert.Equal(("not-notified", "2026-06-30", "2031-06-30"), (view.S("filingKind"), view["clocks"]![0].S("startedOn"), view["clocks"]![0].S("dueAt")));
        Assert.Contains(view["tasks"]!.AsArray(), t => t.S("step") == "initiative-review");
        Assert.Contains(view["timeline"]!.AsArray(), e => e.S("kind") == "case.opened");

        filing["implementedOn"] = "2021-12-31";
        (await _factory.As(ScreeningFactory.OfficerCa).RawPost("/api/cases/initiated", filing)).AssertValidation("$.implementedOn");
        filing["implementedOn"] = "2026-06-30";
        (await _factory.As(ScreeningFactory.OfficerMx).RawPost("/api/cases/initiated", filing)).AssertProblem(HttpStatusCode.Forbidden);
        (await _factory.As(ScreeningFactory.Applicant).RawPost("/api/cases/initiated", filing)).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(1, await _factory.QueryAsync(db => db.Cases.CountAsync()));
    }

    [Fact]
    public async Task ACanadianRequestMovesNoDeadlineButMexicosPrevencionSuspendsItsPeriod()
    {
        var ca = await _scenario.FileAsync(Scenario.LowRiskCa());
        var mx = await _scenario.FileAsync(Scenario.LowRiskMx());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, ca, "intake-review", "certify");
        await _scenario.AdvanceAsync(4); // Friday 8 January

        var caTask = await _scenario.TaskAsync(ScreeningFactory.OfficerCa, ca, "host-review");
        await _factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{caTask.S("id")}/claim").Ok();
        await _factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{caTask.S("id")}/request-information", new { question = "Give the shareholder register.", dueInDays = 10 }).Ok();
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, mx, "intake-review", "deficient");

        var caWaiting = await _scenario.CaseAsync(ScreeningFactory.Applicant, ca);
        var mxWaiting = await _scenario.CaseAsync(ScreeningFactory.Applicant, mx);
        Assert.Equal(("awaiting-applicant", true, "2027-02-18"), (caWaiting.S("status"), caWaiting["clocks"]![0]!["running"]!.GetValue<bool>(), caWaiting["clocks"]![0].S("dueAt")));
        Assert.Equal(("awaiting-applicant", false, "stopped"), (mxWaiting.S("status"), mxWaiting["clocks"]![0]!["running"]!.GetValue<bool>(), mxWaiting["clocks"]![0].S("state")));

        await _scenario.AdvanceAsync(6); // the answer comes on Thursday 14 January
        var request = mxWaiting["openRequests"]![0].S("id");
        await _factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{mx}/requests/{request}/response", new { answer = "Aquí está el registro." }).Ok();

        // 4 business days were used; the other 41 count from Friday 15 January (15 March a rest day).
        var resumed = await _scenario.CaseAsync(ScreeningFactory.Applicant, mx);
        Assert.Equal((true, "2027-03-16"), (resumed["clocks"]![0]!["running"]!.GetValue<bool>(), resumed["clocks"]![0].S("dueAt")));
    }

    [Fact]
    public async Task MexicosSilenceBecomesADeemedApprovalWhenSimulatedTimePassesTheDeadline()
    {
        var id = await _scenario.FileAsync(Scenario.LowRiskMx());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "intake-review", "certify");
        var started = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("business", "2027-03-09"), (started["clocks"]![0].S("unit"), started["clocks"]![0].S("dueAt")));

        await _scenario.AdvanceAsync(64); // 9 March, 15:00 UTC: still inside the period
        Assert.Equal("in-review", (await _scenario.CaseAsync(ScreeningFactory.Applicant, id)).S("status"));
        var advanced = await _scenario.AdvanceAsync(1);
        Assert.True(advanced["timersFired"]!.GetValue<int>() >= 1);

        var decided = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("decided", decided.S("status"));
        Assert.Equal("deemed-approved", decided["decision"].S("outcome"));
        Assert.Equal("2027-03-10T06:00:00Z", decided["decision"].S("decidedAt"));
        var timers = await _factory.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.InstanceId == Guid.Parse(id)).ToListAsync());
        Assert.DoesNotContain(timers, t => t.State == TimerStates.Pending);
        Assert.Single(timers, t => t.Kind == "ClockExpiry" && t.State == TimerStates.Fired);
    }

    [Fact]
    public async Task TheApplicantWithdrawsAndEveryOpenTaskIsCancelled()
    {
        var id = await _scenario.FileAsync(Scenario.HighRiskCa());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");

        var withdrawn = await _factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/withdraw").Ok();
        Assert.Equal("withdrawn", withdrawn.S("status"));
        var tasks = await _factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(id)).ToListAsync());
        Assert.Equal(2, tasks.Count(t => t.Status == TaskStatuses.Cancelled));
        Assert.Empty(await _factory.As(ScreeningFactory.OfficerMx).Get($"/api/tasks?scope=available&caseId={id}").Ok() as JsonArray ?? []);
        Assert.Equal(HttpStatusCode.Conflict, (await _factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/withdraw")).Status);
    }

    [Fact]
    public async Task AJointReviewKeepsEachCountrysDecisionAndTheMostRestrictiveIsTheCases()
    {
        var id = await _scenario.FileAsync(Scenario.JointMx(), ScreeningFactory.OtherApplicant);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "intake-review", "certify");
        var started = await _scenario.CaseAsync(ScreeningFactory.OtherApplicant, id);
        Assert.Equal([("CA", "2027-02-18"), ("MX", "2027-03-09")], started["clocks"]!.AsArray().Select(c => (c.S("jurisdiction"), c.S("dueAt"))).Order());

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "joint-review-ca", "recommend-clear");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "joint-review-mx", "recommend-conditions");
        // Requirements need a requirement and their reasons, on the server as in the form.
        var resolution = await _scenario.TaskAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution");
        Assert.Equal(["comment", "conditions"], resolution["requires"]!["approve-with-requirements"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
        Assert.Equal(["comment"], resolution["requires"]!["deny"]!.AsArray().Select(n => n!.GetValue<string>()));
        await _factory.As(ScreeningFactory.DecisionMx).Post($"/api/tasks/{resolution.S("id")}/claim").Ok();
        (await _factory.As(ScreeningFactory.DecisionMx).RawPost($"/api/tasks/{resolution.S("id")}/complete", new { outcome = "approve-with-requirements", comment = "Offtake risk." }))
            .AssertValidation("$.conditions");
        (await _factory.As(ScreeningFactory.DecisionMx).RawPost($"/api/tasks/{resolution.S("id")}/complete",
            new { outcome = "approve-with-requirements", conditions = new[] { new { text = "Keep the smelter's output in North America", dueInDays = 365 } } }))
            .AssertValidation("$.comment");
        await _factory.As(ScreeningFactory.DecisionMx).Post($"/api/tasks/{resolution.S("id")}/complete",
            new { outcome = "approve-with-requirements", comment = "Offtake risk.", conditions = new[] { new { text = "Keep the smelter's output in North America", dueInDays = 365 } } }).Ok();
        Assert.Null((await _scenario.CaseAsync(ScreeningFactory.OtherApplicant, id))["decision"]); // Canada's period still runs

        await _scenario.AdvanceAsync(46);

        var decided = await _scenario.CaseAsync(ScreeningFactory.OtherApplicant, id);
        Assert.Equal(("decided", "cleared-with-conditions", "cnie"), (decided.S("status"), decided["decision"].S("outcome"), decided["decision"].S("authority")));
        Assert.Equal("Keep the smelter's output in North America", decided["decision"]!["conditions"]![0].S("text"));
        Assert.Equal([("MX", "cleared-with-conditions", "cnie"), ("CA", "cleared", "operation-of-law")],
            decided["decisions"]!.AsArray().Select(d => (d.S("jurisdiction"), d.S("outcome"), d.S("authority"))));
        Assert.Equal(["MX", "CA"], decided["jurisdictions"]!.AsArray().Select(j => j!.GetValue<string>()));
    }
}
