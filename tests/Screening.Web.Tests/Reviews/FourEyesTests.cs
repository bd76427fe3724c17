using System.Net;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Reviews;

/// <summary>
/// Four eyes: an official who acted on a case (here dual.ca, officer and decision-maker) cannot take its decision.
/// One host for the class.
/// </summary>
public sealed class FourEyesTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task TheOfficialWhoReviewedACaseCannotClaimItsDecisionButAnotherDecisionMakerCan()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await _steps.Scenario.CompleteAsync(ScreeningFactory.DualCa, id, "host-review", "escalate", "Reviewed by the dual official.");
        var dualId = await factory.UserIdAsync(ScreeningFactory.DualCa);
        var decision = (await factory.StoredTasksAsync(id)).Single(t => t.StepId == "minister-initial");
        Assert.Contains($"\"{dualId}\"", decision.ExcludedActorsJson, StringComparison.Ordinal);

        var dualQueue = (await factory.As(ScreeningFactory.DualCa).RawGet($"/api/tasks?scope=available&caseId={id}")).AssertSuccess().AsArray();
        var dualWholeQueue = (await factory.As(ScreeningFactory.DualCa).RawGet("/api/tasks?scope=available&pageSize=500")).AssertSuccess().AsArray();
        var claim = await factory.As(ScreeningFactory.DualCa).RawPost($"/api/tasks/{decision.Id}/claim");

        Assert.Empty(dualQueue);
        Assert.DoesNotContain(dualWholeQueue, t => t.S("id") == decision.Id.ToString());
        claim.AssertProblem(HttpStatusCode.Forbidden);
        var stored = await factory.StoredTaskAsync(decision.Id.ToString());
        Assert.Equal((TaskStatuses.Open, (string?)null), (stored.Status, stored.Assignee));
        Assert.DoesNotContain(await factory.StoredEventsAsync("task.claimed", id), a => a.Entry.Actor == dualId && a.Data["step"]!.GetValue<string>() == "minister-initial");

        var decisionQueue = (await factory.As(ScreeningFactory.DecisionCa).RawGet($"/api/tasks?scope=available&caseId={id}")).AssertSuccess().AsArray();
        Assert.Equal(decision.Id.ToString(), Assert.Single(decisionQueue).S("id"));
        await _steps.Scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "minister-initial", "send-notice");
        var noticed = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal(("in-review", "notice-period"), (noticed.S("status"), noticed.S("stage")));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.DecisionCa), (await factory.StoredTaskAsync(decision.Id.ToString())).CompletedBy);
    }

    [Fact]
    public async Task TheDualOfficialMayDecideACaseItDidNotReview()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "host-review", "escalate");

        var queue = (await factory.As(ScreeningFactory.DualCa).RawGet($"/api/tasks?scope=available&caseId={id}")).AssertSuccess().AsArray();
        var decision = Assert.Single(queue)!;
        Assert.Equal("minister-initial", decision.S("step"));
        var completed = await _steps.Scenario.CompleteAsync(ScreeningFactory.DualCa, id, "minister-initial", "make-order");

        Assert.Equal("completed", completed.S("status"));
        var view = await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}").Ok();
        Assert.Equal("full-review", view.S("stage"));
        Assert.Equal(("in-review", "full-review"), ((await factory.StoredCaseAsync(id)).Status, (await factory.StoredCaseAsync(id)).Stage));
    }
}
