using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Reviews;

/// <summary>
/// GET /api/tasks and GET /api/tasks/{id}: the queues officials work from, soonest due first, by role and
/// jurisdiction, filtered by case and paged. One host for the class: no test here moves the clock.
/// </summary>
public sealed class TaskQueueTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task TheAvailableQueueIsSortedSoonestDueFirstNotInTheOrderTasksWereOpened()
    {
        var early = await _steps.FileCertifiedAsync(Scenario.LowRiskCa()); // host review due in 30 days, opened first
        var late = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());  // intake review due in 15 days, opened after

        var queue = (await factory.As(ScreeningFactory.OfficerCa2).RawGet("/api/tasks?scope=available&pageSize=500")).AssertSuccess().AsArray();

        var dues = queue.Select(t => DateTimeOffset.Parse(t.S("dueAt"), CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(dues.Order(), dues);
        var hostReview = queue.Single(t => t.S("caseId") == early && t.S("step") == "host-review");
        var intake = queue.Single(t => t.S("caseId") == late && t.S("step") == "intake-review");
        Assert.True(queue.IndexOf(intake) < queue.IndexOf(hostReview), queue.ToJsonString());
        Assert.Equal("2027-01-20T05:00:00Z", intake.S("dueAt"));
        Assert.Equal("2027-02-04T05:00:00Z", hostReview.S("dueAt"));
        var storedHostReview = await factory.StoredTaskAsync(hostReview.S("id"));
        var storedIntake = await factory.StoredTaskAsync(intake.S("id"));
        Assert.True(storedHostReview.DueAt > storedIntake.DueAt);
        Assert.True(storedHostReview.CreatedAt <= storedIntake.CreatedAt);
        Assert.All(queue, t =>
        {
            Assert.Equal(("CA", "officer", "open"), (t.S("jurisdiction"), t.S("role"), t.S("status")));
            Assert.Null(t!["assignee"]);
        });
    }

    [Fact]
    public async Task EachQueuedTaskCarriesWhatAnOfficerNeedsToPickIt()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var reference = (await factory.StoredCaseAsync(id)).Reference;

        var task = Assert.Single((await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?caseId={id}")).AssertSuccess().AsArray())!;

        var stored = Assert.Single(await factory.StoredTasksAsync(id));
        Assert.Equal((stored.Id.ToString(), id, reference, "intake-review"), (task.S("id"), task.S("caseId"), task.S("caseReference"), task.S("step")));
        Assert.Equal(("CA", "officer", "open"), (task.S("jurisdiction"), task.S("role"), task.S("status")));
        Assert.Equal(["certify", "deficient"], task["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(new DateTimeOffset(DateTime.SpecifyKind(stored.DueAt!.Value, DateTimeKind.Utc)), DateTimeOffset.Parse(task.S("dueAt"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheCaseFilterNarrowsTheQueueToOneCase()
    {
        var one = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var queue = (await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?scope=available&caseId={one}")).AssertSuccess().AsArray();

        var task = Assert.Single(queue)!;
        Assert.Equal((one, "host-review"), (task.S("caseId"), task.S("step")));
        var open = await factory.QueryAsync(db => db.Tasks.AsNoTracking()
            .Where(t => t.CaseId == Guid.Parse(one) && t.Status == TaskStatuses.Open && t.Jurisdiction == "CA" && t.Role == "officer").Select(t => t.Id).ToListAsync());
        Assert.Equal(open.Select(t => t.ToString()), queue.Select(t => t.S("id")));
        Assert.Empty((await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?caseId={Guid.NewGuid()}")).AssertSuccess().AsArray());
    }

    [Fact]
    public async Task AQueueHoldsOnlyTheCallersJurisdictionAndRole()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());

        var caOfficer = (await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?caseId={id}")).AssertSuccess().AsArray();
        var mxOfficer = (await factory.As(ScreeningFactory.OfficerMx2).RawGet($"/api/tasks?caseId={id}")).AssertSuccess().AsArray();
        var caDecision = (await factory.As(ScreeningFactory.DecisionCa).RawGet($"/api/tasks?caseId={id}")).AssertSuccess().AsArray();

        Assert.Equal(["host-review"], caOfficer.Select(t => t.S("step")));
        Assert.Equal(["partner-consultation"], mxOfficer.Select(t => t.S("step")));
        Assert.Equal("MX", mxOfficer[0].S("jurisdiction"));
        Assert.Empty(caDecision);
        Assert.Equal(2, (await factory.StoredTasksAsync(id)).Count(t => t.Status == TaskStatuses.Open));
    }

    [Fact]
    public async Task TheMineScopeListsWhatTheCallerHoldsAndTheAvailableQueueNoLongerDoes()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "intake-review");
        var officerId = await factory.UserIdAsync(ScreeningFactory.OfficerCa);

        var mine = (await factory.As(ScreeningFactory.OfficerCa).RawGet("/api/tasks?scope=mine&pageSize=500")).AssertSuccess().AsArray();
        var othersMine = (await factory.As(ScreeningFactory.OfficerCa2).RawGet("/api/tasks?scope=mine&pageSize=500")).AssertSuccess().AsArray();
        var available = (await factory.As(ScreeningFactory.OfficerCa2).RawGet($"/api/tasks?scope=available&caseId={id}")).AssertSuccess().AsArray();

        var held = Assert.Single(mine, t => t.S("id") == taskId)!;
        Assert.Equal(("claimed", officerId), (held.S("status"), held.S("assignee")));
        Assert.All(mine, t => Assert.Equal(officerId, t.S("assignee")));
        Assert.DoesNotContain(othersMine, t => t.S("id") == taskId);
        Assert.Empty(available);
        var heldIds = await factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.Assignee == officerId && t.Status == TaskStatuses.Claimed).Select(t => t.Id).ToListAsync());
        Assert.Equal(heldIds.Select(t => t.ToString()).Order(), mine.Select(t => t.S("id")).Order());
    }

    [Fact]
    public async Task PagesOfTheQueueAreConsecutiveSlicesOfTheWholeQueue()
    {
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var officer = factory.As(ScreeningFactory.OfficerCa2);

        var all = (await officer.Get("/api/tasks?scope=available&pageSize=500").Ok()).AsArray().Select(t => t.S("id")).ToList();
        var page1 = (await officer.Get("/api/tasks?scope=available&page=1&pageSize=1").Ok()).AsArray();
        var page2 = (await officer.Get("/api/tasks?scope=available&page=2&pageSize=1").Ok()).AsArray();
        var defaultPage = (await officer.Get("/api/tasks").Ok()).AsArray();

        Assert.True(all.Count >= 2);
        Assert.Equal(all[0], Assert.Single(page1).S("id"));
        Assert.Equal(all[1], Assert.Single(page2).S("id"));
        Assert.Equal(all.Take(50), defaultPage.Select(t => t.S("id")));
    }

    [Theory]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("scope=everything", "scope")]
    public async Task OutOfRangeQueueParametersAre400(string query, string key)
    {
        (await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?{query}")).AssertValidation(key);
    }

    [Fact]
    public async Task AQueuePageFarBeyondTheLastIsEmptyNotTheFirstPageAgain()
    {
        await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        Assert.NotEmpty((await factory.As(ScreeningFactory.OfficerCa).Get("/api/tasks?page=1&pageSize=500").Ok()).AsArray());

        var response = await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks?page={int.MaxValue}&pageSize=500");

        if (response.Status == HttpStatusCode.BadRequest)
        {
            response.AssertValidation("page");
        }
        else
        {
            Assert.Empty(response.AssertSuccess().AsArray());
        }
    }

    [Fact]
    public async Task FiveHundredIsTheLargestPage()
    {
        var queue = (await factory.As(ScreeningFactory.OfficerCa).RawGet("/api/tasks?pageSize=500")).AssertSuccess().AsArray();

        var open = await factory.QueryAsync(db => db.Tasks.CountAsync(t => t.Status == TaskStatuses.Open && t.Jurisdiction == "CA" && t.Role == "officer"));
        Assert.Equal(Math.Min(open, 500), queue.Count);
    }

    [Fact]
    public async Task ACaseFilterThatIsNotAnIdIs400()
    {
        (await factory.As(ScreeningFactory.OfficerCa).RawGet("/api/tasks?caseId=SCR-2027-1")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(ScreeningFactory.Applicant)]
    [InlineData(ScreeningFactory.Admin)]
    public async Task OnlyOfficialsOfAJurisdictionHaveQueues403(string user)
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review");

        (await factory.As(user).RawGet("/api/tasks")).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(user).RawGet($"/api/tasks/{taskId}")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task QueuesWithoutATokenAre401()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review");

        (await factory.Anonymous().RawGet("/api/tasks")).AssertProblem(HttpStatusCode.Unauthorized);
        (await factory.Anonymous().RawGet($"/api/tasks/{taskId}")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnOfficialOfTheTasksJurisdictionReadsOneTask()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review");

        var officer = (await factory.As(ScreeningFactory.OfficerCa2).RawGet($"/api/tasks/{taskId}")).AssertSuccess();
        var decisionMaker = (await factory.As(ScreeningFactory.DecisionCa).RawGet($"/api/tasks/{taskId}")).AssertSuccess();

        var stored = await factory.StoredTaskAsync(taskId);
        Assert.Equal((taskId, id, stored.StepId, stored.Status), (officer.S("id"), officer.S("caseId"), officer.S("step"), officer.S("status")));
        Assert.Equal(stored.CaseReference, officer.S("caseReference"));
        Assert.Equal(taskId, decisionMaker.S("id"));
    }

    [Fact]
    public async Task AnotherJurisdictionsTaskOrAnUnknownTaskIs404()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review");

        var response = await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/tasks/{taskId}");

        response.AssertProblem(HttpStatusCode.NotFound);
        Assert.DoesNotContain("intake-review", response.Text, StringComparison.Ordinal);
        (await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks/{Guid.NewGuid()}")).AssertProblem(HttpStatusCode.NotFound);
    }
}
