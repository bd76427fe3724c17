using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Admin;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Security;

/// <summary>
/// Two things at the same instant on the same task or case: each race is run many times, the two calls
/// released together, and whatever the interleaving exactly one wins, the loser hears 409, and the stored
/// state and the audit say what the answers said. Afterwards the host's own consistency check agrees.
/// </summary>
public sealed class RaceTests(ScreeningFactory factory, ITestOutputHelper output) : IClassFixture<ScreeningFactory>
{
    private const int Repetitions = 20;

    private readonly Scenario _scenario = new(factory);

    [Fact]
    public async Task TwoOfficersClaimingOneTaskAtOnceGiveItToExactlyOne()
    {
        var first = factory.As(ScreeningFactory.OfficerCa);
        var second = factory.As(ScreeningFactory.OfficerCa2);
        var ids = await UserIdsAsync();
        var wins = new Dictionary<string, int> { [ScreeningFactory.OfficerCa] = 0, [ScreeningFactory.OfficerCa2] = 0 };

        for (var i = 0; i < Repetitions; i++)
        {
            var caseId = await _scenario.FileAsync(Scenario.LowRiskCa());
            var taskId = (await _scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "intake-review")).S("id");

            var (a, b) = await TogetherAsync(
                () => first.Call(HttpMethod.Post, $"/api/tasks/{taskId}/claim", SecurityHttp.JsonText("{}")),
                () => second.Call(HttpMethod.Post, $"/api/tasks/{taskId}/claim", SecurityHttp.JsonText("{}")));

            var (winner, _) = OneWinsOneConflicts(a, b, $"claim race {i}");
            var winnerEmail = ReferenceEquals(winner, a) ? ScreeningFactory.OfficerCa : ScreeningFactory.OfficerCa2;
            wins[winnerEmail]++;
            Assert.Equal(ids[winnerEmail], winner.Json!.S("assignee"));
            var stored = await StoredTaskAsync(taskId);
            Assert.Equal((TaskStatuses.Claimed, ids[winnerEmail]), (stored.Status, stored.Assignee));
            var claims = await TaskEventsAsync(caseId, taskId, "task.claimed");
            Assert.Equal(ids[winnerEmail], Assert.Single(claims).Actor);
        }

        output.WriteLine($"Claim race x{Repetitions}: officer 1 won {wins[ScreeningFactory.OfficerCa]}, officer 2 won {wins[ScreeningFactory.OfficerCa2]}.");
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task TheHolderCompletingATaskTwiceAtOnceAdvancesTheWorkflowOnce()
    {
        var officer = factory.As(ScreeningFactory.OfficerCa);
        var sameOfficerAgain = factory.As(ScreeningFactory.OfficerCa);

        for (var i = 0; i < Repetitions; i++)
        {
            var caseId = await _scenario.FileAsync(Scenario.LowRiskCa());
            var taskId = (await _scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "intake-review")).S("id");
            await officer.Post($"/api/tasks/{taskId}/claim").Ok();
            var body = new JsonObject { ["outcome"] = "certify", ["comment"] = $"Complete (race {i}).", ["conditions"] = new JsonArray() };

            var (a, b) = await TogetherAsync(
                () => officer.Call(HttpMethod.Post, $"/api/tasks/{taskId}/complete", SecurityHttp.JsonOf(body)),
                () => sameOfficerAgain.Call(HttpMethod.Post, $"/api/tasks/{taskId}/complete", SecurityHttp.JsonOf(body)));

            var (winner, _) = OneWinsOneConflicts(a, b, $"double completion {i}");
            Assert.Equal("completed", winner.Json!.S("status"));
            var tasks = await factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(caseId)).ToListAsync());
            Assert.Equal(TaskStatuses.Completed, Assert.Single(tasks, t => t.StepId == "intake-review").Status);
            Assert.Equal(TaskStatuses.Open, Assert.Single(tasks, t => t.StepId == "host-review").Status);
            Assert.Equal(2, tasks.Count);
            Assert.Single(await TaskEventsAsync(caseId, taskId, "task.completed"));
            var view = await _scenario.CaseAsync(ScreeningFactory.OfficerCa, caseId);
            Assert.Equal("in-review", view.S("status"));
            Assert.Single(view["clocks"]!.AsArray());
        }

        output.WriteLine($"Double completion x{Repetitions}: one 200 and one 409 each time.");
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task AClaimRacingAReleaseLeavesTheTaskAsTheAnswersSay()
    {
        var holder = factory.As(ScreeningFactory.OfficerCa);
        var other = factory.As(ScreeningFactory.OfficerCa2);
        var ids = await UserIdsAsync();
        int claimedAfterRelease = 0, refused = 0;

        for (var i = 0; i < Repetitions; i++)
        {
            var caseId = await _scenario.FileAsync(Scenario.LowRiskCa());
            var taskId = (await _scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "intake-review")).S("id");
            await holder.Post($"/api/tasks/{taskId}/claim").Ok();

            var (release, claim) = await TogetherAsync(
                () => holder.Call(HttpMethod.Post, $"/api/tasks/{taskId}/release", SecurityHttp.JsonText("{}")),
                () => other.Call(HttpMethod.Post, $"/api/tasks/{taskId}/claim", SecurityHttp.JsonText("{}")));

            // The claim can only succeed on an open task, so the release always goes through.
            Assert.True(release.Status == HttpStatusCode.OK, $"release in race {i}: {release.Describe()}");
            var stored = await StoredTaskAsync(taskId);
            var claims = await TaskEventsAsync(caseId, taskId, "task.claimed");
            Assert.Single(await TaskEventsAsync(caseId, taskId, "task.released"));
            if (claim.Status == HttpStatusCode.OK)
            {
                claimedAfterRelease++;
                Assert.Equal((TaskStatuses.Claimed, ids[ScreeningFactory.OfficerCa2]), (stored.Status, stored.Assignee));
                Assert.Equal(new[] { ids[ScreeningFactory.OfficerCa], ids[ScreeningFactory.OfficerCa2] }, claims.Select(c => c.Actor));
            }
            else
            {
                refused++;
                Assert.True(claim.Status == HttpStatusCode.Conflict && claim.IsProblem(out _), $"claim in race {i}: {claim.Describe()}");
                Assert.Equal((TaskStatuses.Open, (string?)null), (stored.Status, stored.Assignee));
                Assert.Equal(ids[ScreeningFactory.OfficerCa], Assert.Single(claims).Actor);
            }
        }

        output.WriteLine($"Claim vs release x{Repetitions}: claimed after the release {claimedAfterRelease}, refused while still held {refused}.");
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task AWithdrawalRacingTheDecisionEndsTheCaseOneWayOnly()
    {
        var applicant = factory.As(ScreeningFactory.Applicant);
        // Mexico's commission decides a case outright; a Canadian one without concerns would wait out its period.
        var decisionMaker = factory.As(ScreeningFactory.DecisionMx);
        int withdrawn = 0, decided = 0;

        for (var i = 0; i < Repetitions; i++)
        {
            var caseId = await _scenario.FileAsync(Scenario.LowRiskMx());
            await _scenario.CompleteAsync(ScreeningFactory.OfficerMx, caseId, "intake-review", "certify");
            await _scenario.CompleteAsync(ScreeningFactory.OfficerMx2, caseId, "host-review", "recommend-clear");
            var decisionTask = (await _scenario.TaskAsync(ScreeningFactory.DecisionMx, caseId, "cnie-resolution")).S("id");
            await decisionMaker.Post($"/api/tasks/{decisionTask}/claim").Ok();
            var clear = new JsonObject { ["outcome"] = "approve", ["comment"] = "No concerns.", ["conditions"] = new JsonArray() };

            var (withdraw, complete) = await TogetherAsync(
                () => applicant.Call(HttpMethod.Post, $"/api/cases/{caseId}/withdraw", SecurityHttp.JsonText("{}")),
                () => decisionMaker.Call(HttpMethod.Post, $"/api/tasks/{decisionTask}/complete", SecurityHttp.JsonOf(clear)));

            var (winner, _) = OneWinsOneConflicts(withdraw, complete, $"withdrawal vs decision {i}");
            var view = await _scenario.CaseAsync(ScreeningFactory.Applicant, caseId);
            var stored = await factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(caseId)));
            var actions = await factory.QueryAsync(db => db.Audit.AsNoTracking().Where(a => a.CaseId == Guid.Parse(caseId)).Select(a => a.Action).ToListAsync());
            var task = await StoredTaskAsync(decisionTask);
            if (ReferenceEquals(winner, withdraw))
            {
                withdrawn++;
                Assert.Equal(("withdrawn", "withdrawn"), (view.S("status"), stored.Status));
                Assert.Null(view["decision"]);
                Assert.DoesNotContain("decision", await TracedStepTypesAsync(caseId));
                Assert.Equal(TaskStatuses.Cancelled, task.Status);
            }
            else
            {
                decided++;
                Assert.Equal(("decided", "decided"), (view.S("status"), stored.Status));
                Assert.Equal("cleared", view["decision"].S("outcome"));
                Assert.DoesNotContain("case.withdrawn", actions);
                Assert.Equal((TaskStatuses.Completed, "approve"), (task.Status, task.Outcome));
            }
        }

        output.WriteLine($"Withdrawal vs decision x{Repetitions}: withdrawn {withdrawn}, decided {decided}.");
        await AssertConsistentAsync();
    }

    [Fact]
    public async Task ATimerFiringWhileTheOfficerCompletesClosesTheTaskOnce()
    {
        var officer = factory.As(ScreeningFactory.OfficerCa);
        var timers = factory.Services.GetRequiredService<TimerJobs>();
        var clock = factory.Services.GetRequiredService<SimulatedTimeProvider>();
        var ids = await UserIdsAsync();
        int byOfficer = 0, byTimer = 0;

        for (var i = 0; i < Repetitions; i++)
        {
            var caseId = await _scenario.FileAsync(Scenario.LowRiskCa());
            var taskId = (await _scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "intake-review")).S("id");
            await officer.Post($"/api/tasks/{taskId}/claim").Ok();
            var timer = await factory.QueryAsync(db => db.Timers.AsNoTracking()
                .SingleAsync(t => t.InstanceId == Guid.Parse(caseId) && t.Kind == "TaskTimeout" && t.State == TimerStates.Pending));
            // Just past the timeout's instant, in the host's (simulated) time.
            var due = new DateTimeOffset(DateTime.SpecifyKind(timer.DueAt, DateTimeKind.Utc));
            factory.Time.SetUtcNow(due.AddSeconds(1) - clock.Offset);
            var certify = new JsonObject { ["outcome"] = "certify", ["comment"] = "Complete.", ["conditions"] = new JsonArray() };

            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var fire = Task.Run(async () =>
            {
                await gate.Task;
                return await timers.FireAsync(timer.Id, CancellationToken.None);
            });
            var complete = Task.Run(async () =>
            {
                await gate.Task;
                return await officer.Call(HttpMethod.Post, $"/api/tasks/{taskId}/complete", SecurityHttp.JsonOf(certify));
            });
            gate.SetResult();
            await Task.WhenAll(fire, complete);
            var fired = await fire;
            var completed = await complete;

            var officerClosedIt = completed.Status == HttpStatusCode.OK;
            Assert.True(officerClosedIt ^ (fired == FireTimerResult.Fired),
                $"timer race {i}: the completion answered {completed.Describe()} and the timer {fired}; exactly one must close the task");
            if (!officerClosedIt)
            {
                Assert.True(completed.Status == HttpStatusCode.Conflict && completed.IsProblem(out _), $"timer race {i}: {completed.Describe()}");
            }

            var closures = await TaskClosuresAsync(caseId, t => t.S("task") == taskId);
            var closure = Assert.Single(closures);
            var data = closure.Closure;
            Assert.Equal("certify", data.S("outcome"));
            if (officerClosedIt)
            {
                byOfficer++;
                Assert.Equal(ids[ScreeningFactory.OfficerCa], closure.Actor);
            }
            else
            {
                byTimer++;
                Assert.Equal("timeout", data.S("reason"));
            }

            var certifications = await TaskClosuresAsync(caseId, t => t.S("step") == "intake-review");
            Assert.Single(certifications);
            var tasks = await factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(caseId)).ToListAsync());
            Assert.Equal(TaskStatuses.Completed, Assert.Single(tasks, t => t.StepId == "intake-review").Status);
            Assert.Single(tasks, t => t.StepId == "host-review");
            var storedTimer = await factory.QueryAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.Id == timer.Id));
            Assert.Equal(officerClosedIt ? TimerStates.Cancelled : TimerStates.Fired, storedTimer.State);
            Assert.Single((await _scenario.CaseAsync(ScreeningFactory.OfficerCa, caseId))["clocks"]!.AsArray());
        }

        output.WriteLine($"Timer vs completion x{Repetitions}: closed by the officer {byOfficer}, by the timer {byTimer}.");
        await AssertConsistentAsync();
    }

    /// <summary>Starts both calls on the thread pool and releases them at the same moment.</summary>
    private static async Task<(SecurityResponse A, SecurityResponse B)> TogetherAsync(Func<Task<SecurityResponse>> a, Func<Task<SecurityResponse>> b)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = Task.Run(async () =>
        {
            await gate.Task;
            return await a();
        });
        var second = Task.Run(async () =>
        {
            await gate.Task;
            return await b();
        });
        gate.SetResult();
        var both = await Task.WhenAll(first, second);
        return (both[0], both[1]);
    }

    /// <summary>Exactly one 200; the other a 409 problem document. Returns (winner, loser).</summary>
    private static (SecurityResponse Winner, SecurityResponse Loser) OneWinsOneConflicts(SecurityResponse a, SecurityResponse b, string race)
    {
        var codes = new[] { a.Code, b.Code }.Order().ToArray();
        Assert.True(codes is [200, 409], $"{race}: expected one 200 and one 409, got {a.Describe()} and {b.Describe()}");
        var loser = a.Code == 409 ? a : b;
        Assert.True(loser.IsProblem(out var why), $"{race}: the 409 is not a problem document ({why})");
        return (ReferenceEquals(loser, a) ? b : a, loser);
    }

    private async Task AssertConsistentAsync()
    {
        var admin = factory.As(ScreeningFactory.Admin);
        var report = await admin.Get("/api/admin/consistency").Ok();
        Assert.True(report["consistent"]!.GetValue<bool>(), $"The host reports itself inconsistent: {report.ToJsonString()}");
        var verify = await admin.Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>(), $"The audit chain does not verify: {verify.ToJsonString()}");
    }

    private Task<Dictionary<string, string>> UserIdsAsync() =>
        factory.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Email!.EndsWith("@screening.example")).ToDictionaryAsync(u => u.Email!, u => u.Id));

    private Task<ReviewTask> StoredTaskAsync(string taskId) =>
        factory.QueryAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == Guid.Parse(taskId)));

    /// <summary>The case's audit entries of an action that name this task.</summary>
    private async Task<List<AuditEntry>> TaskEventsAsync(string caseId, string taskId, string action)
    {
        var entries = await factory.QueryAsync(db => db.Audit.AsNoTracking()
            .Where(a => a.CaseId == Guid.Parse(caseId) && a.Action == action)
            .OrderBy(a => a.Seq)
            .ToListAsync());
        return [.. entries.Where(e => JsonNode.Parse(e.DataJson)?["task"]?.GetValue<string>() == taskId)];
    }

    /// <summary>
    /// Every closure of a task the case's audit trail records, whichever command closed it (an official's
    /// completion, or the timer of its timeout): who, and the closure's facts.
    /// </summary>
    private async Task<List<(string Actor, JsonNode Closure)>> TaskClosuresAsync(string caseId, Func<JsonNode, bool> which)
    {
        var entries = await factory.QueryAsync(db => db.Audit.AsNoTracking().Where(a => a.CaseId == Guid.Parse(caseId)).OrderBy(a => a.Seq).ToListAsync());
        return [.. entries.SelectMany(e => (JsonNode.Parse(e.DataJson)?["tasks"] as JsonArray ?? [])
            .Where(t => t is not null && t.S("event") == "completed" && which(t))
            .Select(t => (e.Actor, t!)))];
    }

    /// <summary>The types of every step the case's commands ran, from the traces of its audit entries.</summary>
    private async Task<List<string>> TracedStepTypesAsync(string caseId)
    {
        var entries = await factory.QueryAsync(db => db.Audit.AsNoTracking().Where(a => a.CaseId == Guid.Parse(caseId)).Select(a => a.DataJson).ToListAsync());
        return [.. entries.SelectMany(d => (JsonNode.Parse(d)?["trace"] as JsonArray ?? []).Select(t => t.S("type") ?? string.Empty))];
    }
}
