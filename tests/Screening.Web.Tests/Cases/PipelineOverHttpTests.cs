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
    public async Task ALowRiskCanadianCaseIsFiledCertifiedReviewedAndCleared()
    {
        var id = await _scenario.FileAsync(Scenario.LowRiskCa());
        var filed = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("submitted", filed.S("status"));
        Assert.Equal("completeness", filed.S("stage"));
        Assert.Empty(filed["clocks"]!.AsArray());

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        var inReview = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("in-review", inReview.S("status"));
        var clock = inReview["clocks"]![0]!;
        Assert.Equal(("statutory", "CA", "calendar", "2027-02-18", 45), (clock.S("name"), clock.S("jurisdiction"), clock.S("unit"), clock.S("dueAt"), clock["remainingDays"]!.GetValue<int>()));
        Assert.True(clock["running"]!.GetValue<bool>());
        Assert.Equal("2027-01-04T15:00:00Z", clock.S("startedAt"));

        await _scenario.AdvanceAsync(3);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "host-review", "recommend-clear", "No concerns.");
        await _scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "decision", "clear");

        var decided = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("decided", decided.S("status"));
        Assert.Equal("cleared", decided["decision"].S("outcome"));
        Assert.Equal("2027-01-07T15:00:00Z", decided["decision"].S("decidedAt"));
        Assert.False(decided["clocks"]![0]!["running"]!.GetValue<bool>());
        var events = decided["timeline"]!.AsArray().Select(e => e.S("event")).ToList();
        Assert.Contains("Filing submitted", events);
        Assert.Contains("Decision: cleared", events);
        Assert.DoesNotContain(events, e => e.Contains("Task", StringComparison.Ordinal));

        var stored = await _factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(id)));
        Assert.Equal("decided", stored.Status);
        var tasks = await _factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(id)).OrderBy(t => t.CreatedAt).ToListAsync());
        Assert.Equal(["intake-review", "host-review", "decision"], tasks.Select(t => t.StepId));
        Assert.All(tasks, t => Assert.Equal(TaskStatuses.Completed, t.Status));
        var verify = await _factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task ABilateralCaseKeepsThePartnersCommentFromTheApplicantAndEndsInConditions()
    {
        const string secret = "Mexico notes links between the investor and a state buyer.";
        var id = await _scenario.FileAsync(Scenario.HighRiskCa());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "partner-consultation", "comment", secret);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "host-review", "escalate");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "consider-partner-comments", "considered", "Offtake condition added.");

        var government = await _scenario.CaseAsync(ScreeningFactory.OfficerCa, id);
        Assert.Equal("extended-review", government.S("stage"));
        Assert.Equal(90, government["clocks"]![0]!["days"]!.GetValue<int>());
        Assert.Equal("2027-04-04", government["clocks"]![0].S("dueAt"));
        Assert.Contains(government["comments"]!.AsArray(), c => c.S("comment") == secret && c.S("jurisdiction") == "MX");
        Assert.Equal("high", government.S("riskLevel"));

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "extended-review", "recommend-conditions");
        await _scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "decision", "clear-with-conditions", "Cleared on undertakings.",
            [new { text = "Keep lithium offtake in North America", dueInDays = 180 }]);

        var applicantView = await _factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal("decided", applicantView.S("status"));
        Assert.Equal("cleared-with-conditions", applicantView["decision"].S("outcome"));
        Assert.Equal("2027-07-03", applicantView["decision"]!["conditions"]![0].S("dueAt"));
        var text = applicantView.ToJsonString();
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Offtake condition added", text, StringComparison.Ordinal);
        Assert.Null(applicantView["comments"]);
        Assert.Null(applicantView["riskLevel"]);
        var list = await _factory.As(ScreeningFactory.Applicant).Get("/api/cases").Ok();
        Assert.DoesNotContain(secret, list.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestForInformationStopsTheClockUntilTheApplicantAnswers()
    {
        var id = await _scenario.FileAsync(Scenario.LowRiskCa());
        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        await _scenario.AdvanceAsync(10);
        var task = await _scenario.TaskAsync(ScreeningFactory.OfficerCa, id, "host-review");
        var officer = _factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{task.S("id")}/claim").Ok();
        var request = await officer.Post($"/api/tasks/{task.S("id")}/request-information", new { question = "Give the shareholder register.", dueInDays = 30 }).Ok();

        var waiting = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("awaiting-applicant", waiting.S("status"));
        Assert.False(waiting["clocks"]![0]!["running"]!.GetValue<bool>());
        Assert.Equal(35, waiting["clocks"]![0]!["remainingDays"]!.GetValue<int>());
        var open = waiting["openRequests"]![0]!;
        Assert.Equal(("Give the shareholder register.", request.S("requestId")), (open.S("question"), open.S("id")));

        await _scenario.AdvanceAsync(20);
        var answered = await _factory.As(ScreeningFactory.Applicant)
            .Post($"/api/cases/{id}/requests/{open.S("id")}/response", new { answer = "Register attached." }).Ok();
        Assert.Equal("in-review", answered.S("status"));
        var resumed = await _scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.True(resumed["clocks"]![0]!["running"]!.GetValue<bool>());
        Assert.Equal("2027-03-10", resumed["clocks"]![0].S("dueAt"));
        Assert.Empty(resumed["openRequests"]!.AsArray());

        var again = await _factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/requests/{open.S("id")}/response", new { answer = "Again." });
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        var stored = await _factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(open.S("id"))));
        Assert.Equal("answered", stored.Status);
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
    public async Task AJointReviewIsDecidedByBothHostsAndTheMostRestrictiveDecisionWins()
    {
        var id = await _scenario.FileAsync(Scenario.JointMx(), ScreeningFactory.OtherApplicant);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "intake-review", "certify");
        var started = await _scenario.CaseAsync(ScreeningFactory.OtherApplicant, id);
        Assert.Equal(["CA", "MX"], started["clocks"]!.AsArray().Select(c => c.S("jurisdiction")).Order());

        await _scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "joint-review-ca", "recommend-clear");
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "joint-review-mx", "recommend-conditions");
        await _scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "joint-decision-ca", "order-divestiture", null, [new { text = "Divest the smelter", dueInDays = 365 }]);
        await _scenario.CompleteAsync(ScreeningFactory.DecisionMx, id, "joint-decision-mx", "clear");

        var decided = await _scenario.CaseAsync(ScreeningFactory.OtherApplicant, id);
        Assert.Equal("divestiture-ordered", decided["decision"].S("outcome"));
        Assert.Equal("Divest the smelter", decided["decision"]!["conditions"]![0].S("text"));
        Assert.Equal(["MX", "CA"], decided["jurisdictions"]!.AsArray().Select(j => j!.GetValue<string>()));
    }
}
