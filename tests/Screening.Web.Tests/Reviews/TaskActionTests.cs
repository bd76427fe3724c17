using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Reviews;

/// <summary>
/// Claim, release, complete and request-information on a task: the holder acts, others get 403, another
/// jurisdiction 404, repeats and races 409. One host for the class: no test here moves the clock.
/// </summary>
public sealed class TaskActionTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    private async Task<(string CaseId, string TaskId)> IntakeAsync()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        return (id, await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review"));
    }

    [Fact]
    public async Task AnOfficerClaimsAnOpenTaskOfItsRoleAndJurisdiction()
    {
        var (id, taskId) = await IntakeAsync();
        var officerId = await factory.UserIdAsync(ScreeningFactory.OfficerCa);

        var body = (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/claim")).AssertSuccess();

        Assert.Equal((taskId, "claimed", officerId), (body.S("id"), body.S("status"), body.S("assignee")));
        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Claimed, officerId), (stored.Status, stored.Assignee));
        Assert.NotNull(stored.ClaimedAt);
        var claimed = Assert.Single(await factory.StoredEventsAsync("task.claimed", id));
        Assert.Equal((officerId, taskId), (claimed.Entry.Actor, claimed.Data["task"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ClaimingATaskAnotherOfficerHoldsIs409AndTheHolderKeepsIt()
    {
        var (_, taskId) = await IntakeAsync();
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        (await factory.As(ScreeningFactory.OfficerCa2).RawPost($"/api/tasks/{taskId}/claim")).AssertProblem(HttpStatusCode.Conflict);
        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/claim")).AssertProblem(HttpStatusCode.Conflict);

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Claimed, await factory.UserIdAsync(ScreeningFactory.OfficerCa)), (stored.Status, stored.Assignee));
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task TwoOfficersClaimingAtTheSameMomentGetOneSuccessAndOneConflict()
    {
        var (id, taskId) = await IntakeAsync();
        var one = factory.As(ScreeningFactory.OfficerCa);
        var two = factory.As(ScreeningFactory.OfficerCa2);

        var results = await Task.WhenAll(one.RawPost($"/api/tasks/{taskId}/claim"), two.RawPost($"/api/tasks/{taskId}/claim"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        var winner = results.Single(r => r.Status == HttpStatusCode.OK).Json.S("assignee");
        results.Single(r => r.Status == HttpStatusCode.Conflict).AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(winner, (await factory.StoredTaskAsync(taskId)).Assignee);
        Assert.Single(await factory.StoredEventsAsync("task.claimed", id));
    }

    [Fact]
    public async Task AnOfficerOfTheOtherJurisdictionClaimingATaskGets404()
    {
        var (_, taskId) = await IntakeAsync();

        var response = await factory.As(ScreeningFactory.OfficerMx).RawPost($"/api/tasks/{taskId}/claim");

        response.AssertProblem(HttpStatusCode.NotFound);
        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Open, (string?)null), (stored.Status, stored.Assignee));
    }

    [Fact]
    public async Task ADecisionMakerClaimingAnOfficersTaskGets403()
    {
        var (_, taskId) = await IntakeAsync();

        (await factory.As(ScreeningFactory.DecisionCa).RawPost($"/api/tasks/{taskId}/claim")).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal(TaskStatuses.Open, (await factory.StoredTaskAsync(taskId)).Status);
    }

    [Fact]
    public async Task ClaimingAnUnknownTaskIs404()
    {
        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{Guid.NewGuid()}/claim")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TheHolderReleasesATaskBackToTheQueue()
    {
        var (id, taskId) = await IntakeAsync();
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        var body = (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/release")).AssertSuccess();

        Assert.Equal(("open", (string?)null), (body.S("status"), body["assignee"]?.GetValue<string>()));
        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Open, (string?)null, (DateTime?)null), (stored.Status, stored.Assignee, stored.ClaimedAt));
        Assert.Single(await factory.StoredEventsAsync("task.released", id));
        var queue = (await factory.As(ScreeningFactory.OfficerCa2).Get($"/api/tasks?caseId={id}").Ok()).AsArray();
        Assert.Equal(taskId, Assert.Single(queue).S("id"));
    }

    [Fact]
    public async Task ReleasingATaskSomeoneElseHoldsIs403AndReleasingAnOpenTaskIs409()
    {
        var (id, taskId) = await IntakeAsync();
        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/release")).AssertProblem(HttpStatusCode.Conflict);
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        (await factory.As(ScreeningFactory.OfficerCa2).RawPost($"/api/tasks/{taskId}/release")).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(ScreeningFactory.OfficerMx).RawPost($"/api/tasks/{taskId}/release")).AssertProblem(HttpStatusCode.NotFound);

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Claimed, await factory.UserIdAsync(ScreeningFactory.OfficerCa)), (stored.Status, stored.Assignee));
        Assert.Empty(await factory.StoredEventsAsync("task.released", id));
    }

    [Fact]
    public async Task TheHolderCompletesATaskWithOneOfItsOutcomesAndTheCaseMovesOn()
    {
        var (id, taskId) = await IntakeAsync();
        var officer = factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();

        var body = (await officer.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify", comment = "Complete filing." })).AssertSuccess();

        Assert.Equal((taskId, "completed"), (body.S("id"), body.S("status")));
        var stored = await factory.StoredTaskAsync(taskId);
        var officerId = await factory.UserIdAsync(ScreeningFactory.OfficerCa);
        Assert.Equal((TaskStatuses.Completed, "certify", officerId, "Complete filing."), (stored.Status, stored.Outcome, stored.CompletedBy, stored.Comment));
        Assert.NotNull(stored.CompletedAt);
        var tasks = await factory.StoredTasksAsync(id);
        Assert.Equal(["intake-review", "host-review"], tasks.Select(t => t.StepId));
        Assert.Equal("in-review", (await factory.StoredCaseAsync(id)).Status);
        var completed = Assert.Single(await factory.StoredEventsAsync("task.completed", id));
        Assert.Equal(("certify", officerId), (completed.Data["outcome"]!.GetValue<string>(), completed.Entry.Actor));
    }

    [Fact]
    public async Task CompletingTwiceIs409AndTheWorkflowRunsOnce()
    {
        var (id, taskId) = await IntakeAsync();
        var officer = factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();
        await officer.Post($"/api/tasks/{taskId}/complete", new { outcome = "certify" }).Ok();
        var versionBefore = (await factory.StoredInstanceAsync(id)).Version;

        (await officer.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" })).AssertProblem(HttpStatusCode.Conflict);
        (await officer.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "deficient" })).AssertProblem(HttpStatusCode.Conflict);

        Assert.Equal(versionBefore, (await factory.StoredInstanceAsync(id)).Version);
        Assert.Equal("certify", (await factory.StoredTaskAsync(taskId)).Outcome);
        Assert.Single(await factory.StoredEventsAsync("task.completed", id));
        Assert.Single(await factory.StoredTasksAsync(id), t => t.StepId == "host-review");
    }

    [Fact]
    public async Task TwoCompletionsAtTheSameMomentGetOneSuccessAndOneConflict()
    {
        var (id, taskId) = await IntakeAsync();
        var officer = factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();

        var results = await Task.WhenAll(
            officer.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" }),
            officer.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        results.Single(r => r.Status == HttpStatusCode.Conflict).AssertProblem(HttpStatusCode.Conflict);
        Assert.Single(await factory.StoredEventsAsync("task.completed", id));
        Assert.Single(await factory.StoredTasksAsync(id), t => t.StepId == "host-review");
        // The case moved from submitted to in review once: one command's audit entry records that change.
        Assert.Single(await factory.StoredAuditAsync(id), a => System.Text.Json.Nodes.JsonNode.Parse(a.DataJson)?["status"] is not null);
    }

    [Theory]
    [InlineData("{\"outcome\": \"approve\"}", "$.outcome")]
    [InlineData("{\"outcome\": \"\"}", "$.outcome")]
    [InlineData("{\"comment\": \"no outcome\"}", "$.outcome")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [{\"text\": \"Report yearly\", \"dueInDays\": 0}]}", "$.conditions[0].dueInDays")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [{\"text\": \"Report yearly\", \"dueInDays\": 3651}]}", "$.conditions[0].dueInDays")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [{\"text\": \"Report yearly\", \"dueInDays\": 0.5}]}", "$.conditions[0].dueInDays")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [{\"text\": \"ok\", \"dueInDays\": 10}, {\"text\": \" \", \"dueInDays\": 10}]}", "$.conditions[1].text")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [null]}", "$.conditions[0]")]
    public async Task ABadCompletionIs400WithTheFieldsPathAndTheTaskStaysHeld(string body, string path)
    {
        var (id, taskId) = await IntakeAsync();
        var officer = factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();

        (await officer.Raw(HttpMethod.Post, $"/api/tasks/{taskId}/complete", body)).AssertValidation(path);

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Claimed, (string?)null), (stored.Status, stored.Outcome));
        Assert.Single(await factory.StoredTasksAsync(id));
        Assert.Equal("submitted", (await factory.StoredCaseAsync(id)).Status);
    }

    [Theory]
    [InlineData("{\"outcome\": ")]
    [InlineData("{\"outcome\": \"certify\", \"conditions\": [{\"text\": \"x\", \"dueInDays\": \"soon\"}]}")]
    [InlineData("{\"outcome\": 7}")]
    public async Task ACompletionBodyOfTheWrongShapeIs400(string body)
    {
        var (_, taskId) = await IntakeAsync();
        var officer = factory.As(ScreeningFactory.OfficerCa);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();

        (await officer.Raw(HttpMethod.Post, $"/api/tasks/{taskId}/complete", body)).AssertValidation();

        Assert.Equal(TaskStatuses.Claimed, (await factory.StoredTaskAsync(taskId)).Status);
    }

    [Theory]
    [InlineData("complete")]
    [InlineData("request-information")]
    public async Task AJsonNullBodyIs400WithTheRootPathInErrors(string action)
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var taskId = await _steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "host-review");

        var response = await factory.As(ScreeningFactory.OfficerCa).Raw(HttpMethod.Post, $"/api/tasks/{taskId}/{action}", "null");

        response.AssertValidation("$");
        Assert.Equal(TaskStatuses.Claimed, (await factory.StoredTaskAsync(taskId)).Status);
        Assert.Equal("in-review", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task CompletingATaskThatIsNotClaimedIs409AndOneHeldByAnotherIs403()
    {
        var (_, taskId) = await IntakeAsync();
        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" })).AssertProblem(HttpStatusCode.Conflict);
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        (await factory.As(ScreeningFactory.OfficerCa2).RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" })).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(ScreeningFactory.OfficerMx).RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" })).AssertProblem(HttpStatusCode.NotFound);

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Claimed, (string?)null), (stored.Status, stored.Outcome));
    }

    [Fact]
    public async Task TheHolderOfAReviewAsksTheApplicantAndTheCaseAwaitsTheAnswer()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var taskId = await _steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "host-review");

        var body = (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/request-information",
            new { question = "  Give the shareholder register.  ", dueInDays = 30 })).AssertSuccess();

        Assert.Equal((id, "Give the shareholder register.", "awaiting-applicant"), (body.S("caseId"), body.S("question"), body.S("caseStatus")));
        Assert.EndsWith("Z", body.S("dueAt"), StringComparison.Ordinal);
        var requestId = body.S("requestId");
        var stored = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.Equal(("open", "Give the shareholder register.", Guid.Parse(taskId)), (stored.Status, stored.Question, stored.TaskId));
        Assert.Equal("awaiting-applicant", (await factory.StoredCaseAsync(id)).Status);
        Assert.Equal(TaskStatuses.Claimed, (await factory.StoredTaskAsync(taskId)).Status);
        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal(requestId, view["openRequests"]![0].S("id"));
        // No Canadian period stops for a request for information (ICA: periods change only by notice or agreement).
        Assert.Equal((true, "2027-02-18"), (view["clocks"]![0]!["running"]!.GetValue<bool>(), view["clocks"]![0].S("dueAt")));
    }

    [Theory]
    [InlineData("{\"question\": \"\", \"dueInDays\": 30}", "$.question")]
    [InlineData("{\"question\": \"   \", \"dueInDays\": 30}", "$.question")]
    [InlineData("{\"dueInDays\": 30}", "$.question")]
    [InlineData("{\"question\": \"Why?\", \"dueInDays\": 0}", "$.dueInDays")]
    [InlineData("{\"question\": \"Why?\", \"dueInDays\": 366}", "$.dueInDays")]
    [InlineData("{\"question\": \"Why?\", \"dueInDays\": 0.5}", "$.dueInDays")]
    [InlineData("{\"question\": \"Why?\"}", "$.dueInDays")]
    public async Task ABadRequestForInformationIs400AndNothingIsSent(string body, string path)
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var taskId = await _steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "host-review");

        (await factory.As(ScreeningFactory.OfficerCa).Raw(HttpMethod.Post, $"/api/tasks/{taskId}/request-information", body)).AssertValidation(path);

        Assert.False(await factory.QueryAsync(db => db.InformationRequests.AnyAsync(r => r.CaseId == Guid.Parse(id))));
        Assert.Equal("in-review", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task AStepThatSendsNoRequestsRefusesOneWith409()
    {
        var (id, taskId) = await IntakeAsync();
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/request-information", new { question = "Why?", dueInDays = 10 }))
            .AssertProblem(HttpStatusCode.Conflict);

        Assert.False(await factory.QueryAsync(db => db.InformationRequests.AnyAsync(r => r.CaseId == Guid.Parse(id))));
    }

    [Fact]
    public async Task OnlyTheHolderSendsARequest()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "host-review");
        var question = new { question = "Why?", dueInDays = 10 };
        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/request-information", question)).AssertProblem(HttpStatusCode.Conflict);
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();

        (await factory.As(ScreeningFactory.OfficerCa2).RawPost($"/api/tasks/{taskId}/request-information", question)).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(ScreeningFactory.OfficerMx).RawPost($"/api/tasks/{taskId}/request-information", question)).AssertProblem(HttpStatusCode.NotFound);

        Assert.False(await factory.QueryAsync(db => db.InformationRequests.AnyAsync(r => r.CaseId == Guid.Parse(id))));
    }

    [Theory]
    [InlineData("claim")]
    [InlineData("release")]
    [InlineData("complete")]
    [InlineData("request-information")]
    public async Task TaskActionsWithoutATokenAre401AndByAnApplicant403(string action)
    {
        var (_, taskId) = await IntakeAsync();
        object body = action switch
        {
            "complete" => new { outcome = "certify" },
            "request-information" => new { question = "Why?", dueInDays = 10 },
            _ => new { },
        };

        (await factory.Anonymous().RawPost($"/api/tasks/{taskId}/{action}", body)).AssertProblem(HttpStatusCode.Unauthorized);
        (await factory.As(ScreeningFactory.Applicant).RawPost($"/api/tasks/{taskId}/{action}", body)).AssertProblem(HttpStatusCode.Forbidden);

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((TaskStatuses.Open, (string?)null), (stored.Status, stored.Assignee));
    }
}
