using System.Text.Json.Nodes;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;
using static Screening.Workflows.Tests.Pipeline.PipelineHarness;

namespace Screening.Workflows.Tests.Runtime;

public class InterpreterTests
{
    private static CompiledDefinition Compile(string json)
    {
        var compiled = CompiledDefinition.Compile(json, out var problems);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        return compiled!;
    }

    private static string ThreeReviewers(string joinSettings) => $$"""
        {
          "key": "three-reviewers", "name": "Three reviewers", "start": "split",
          "steps": [
            { "id": "split", "type": "fork", "outcomes": { "a": "review-a", "b": "review-b", "c": "review-c" } },
            { "id": "review-a", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" }, "outcomes": { "done": "join" } },
            { "id": "review-b", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" }, "outcomes": { "done": "join" } },
            { "id": "review-c", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "MX" }, "outcomes": { "done": "join" } },
            { "id": "join", "type": "join", "settings": {{joinSettings}}, "outcomes": { "done": "finish" } },
            { "id": "finish", "type": "end", "settings": { "status": "closed" } }
          ]
        }
        """;

    [Fact]
    public void ResumingTheSameTaskTwiceIsAReportedNoOp()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk());
        var intake = h.Task("intake-review").Id;
        h.Complete("intake-review", "certify", "ca-officer-1");
        var trace = h.Instance.Trace.ToList();
        var journal = h.Instance.Journal.Count;

        var again = h.Runner.Resume(h.Definition, h.Instance, intake, new ResumeInput("ca-officer-2", "certify"));

        Assert.Equal(ResumeStatus.AlreadyResumed, again.Status);
        Assert.Equal(trace, h.Instance.Trace);
        Assert.Equal(journal, h.Instance.Journal.Count);
        Assert.Equal("ca-officer-1", h.Instance.Variables["intake"]!["actor"]!.GetValue<string>());
    }

    [Fact]
    public void AnOutcomeTheTaskDoesNotHaveIsRejectedAndChangesNothing()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk());
        var before = WorkflowInstanceSerializer.Serialize(h.Instance);

        var result = h.Runner.Resume(h.Definition, h.Instance, h.Task("intake-review").Id, new ResumeInput("ca-officer-1", "approve"));

        Assert.Equal(ResumeStatus.Rejected, result.Status);
        Assert.Contains("certify, deficient", result.Message, StringComparison.Ordinal);
        Assert.Equal(before, WorkflowInstanceSerializer.Serialize(h.Instance));
    }

    [Fact]
    public void ATimerFiresOnlyWhenDueAndOnlyOnce()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk());
        var timeout = h.Instance.Bookmarks.Single(b => b.Kind == BookmarkKind.TaskTimeout);

        Assert.Equal(ResumeStatus.NotDue, h.Runner.FireTimer(h.Definition, h.Instance, timeout.Id).Status);
        Assert.Equal("intake-review", h.Task("intake-review").StepId);

        h.Time.SetUtcNow(timeout.DueAt!.Value);
        Assert.True(h.Runner.FireTimer(h.Definition, h.Instance, timeout.Id).Succeeded);
        var trace = h.Instance.Trace.ToList();
        Assert.Equal(ResumeStatus.AlreadyResumed, h.Runner.FireTimer(h.Definition, h.Instance, timeout.Id).Status);
        Assert.Equal(trace, h.Instance.Trace);
        Assert.Equal(ResumeStatus.NotFound, h.Runner.FireTimer(h.Definition, h.Instance, Guid.NewGuid().ToString()).Status);
    }

    [Fact]
    public void AnInstanceSurvivesASerializationRoundTripInTheMiddleOfABilateralReview()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk());
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.Complete("partner-consultation", "comment", "mx-officer-1", "Comentario");

        var json = WorkflowInstanceSerializer.Serialize(h.Instance);
        var copy = WorkflowInstanceSerializer.Deserialize(json);
        Assert.Equal(json, WorkflowInstanceSerializer.Serialize(copy));
        Assert.Contains("\"status\":\"suspended\"", json, StringComparison.Ordinal);

        var task = copy.OpenTasks.Single(t => t.StepId == "host-review");
        var result = h.Runner.Resume(h.Definition, copy, task.Id, new ResumeInput("ca-officer-1", "recommend-clear"));
        Assert.True(result.Succeeded, result.Message);
        Assert.Equal(["review-join", "consider-route", "consider-partner-comments"], copy.Trace.TakeLast(3));
    }

    [Fact]
    public void AJoinOfAnyContinuesWithTheFirstBranchAndCancelsTheOthers()
    {
        var h = new PipelineHarness(definition: Compile(ThreeReviewers("""{ "mode": "any" }""")));
        h.Start([]);
        Assert.Equal(3, h.Instance.OpenTasks.Count());

        h.Complete("review-b", "done", "officer-b");

        h.AssertTrace("split", "review-a", "review-b", "review-c", "join", "finish");
        Assert.Equal(WorkflowStatus.Finished, h.Instance.Status);
        Assert.Equal(2, h.Sinks.ClosedTasks.Count(c => c.Reason == TaskCloseReason.Cancelled));
        Assert.Equal("cancelled", h.Instance.Journal.Single(j => j.StepId == "review-a").Outcome);
    }

    [Fact]
    public void AJoinOfTwoOfThreeWaitsForTheSecondBranch()
    {
        var h = new PipelineHarness(definition: Compile(ThreeReviewers("""{ "mode": "count", "count": 2 }""")));
        h.Start([]);

        h.Complete("review-c", "done", "officer-c");
        Assert.Equal(WorkflowStatus.Suspended, h.Instance.Status);
        Assert.Equal(2, h.Instance.OpenTasks.Count());

        h.Complete("review-a", "done", "officer-a");
        h.AssertTrace("split", "review-a", "review-b", "review-c", "join", "join", "finish");
        Assert.Equal("closed", h.Instance.EndStatus);
        Assert.Empty(h.Sinks.OpenTasks);
    }

    [Fact]
    public void AJoinOfAllWaitsForEveryStartedBranch()
    {
        var h = new PipelineHarness(definition: Compile(ThreeReviewers("""{ "mode": "all" }""")));
        h.Start([]);
        h.Complete("review-a", "done", "officer-a");
        h.Complete("review-c", "done", "officer-c");
        Assert.Equal(WorkflowStatus.Suspended, h.Instance.Status);

        h.Complete("review-b", "done", "officer-b");
        Assert.Equal(WorkflowStatus.Finished, h.Instance.Status);
    }

    [Fact]
    public void ATimerStepWaitsBusinessDaysOnItsCalendar()
    {
        var h = new PipelineHarness(definition: Compile("""
            {
              "key": "cooling-off", "name": "Cooling off", "start": "wait",
              "steps": [
                { "id": "wait", "type": "timer", "settings": { "wait": { "days": 5, "unit": "business", "calendar": "MX" } }, "outcomes": { "done": "finish" } },
                { "id": "finish", "type": "end" }
              ]
            }
            """));
        h.Start([]);
        var timer = Assert.Single(h.Instance.Bookmarks);
        Assert.Equal(Instant("2027-01-12T06:00:00Z"), timer.DueAt); // Mon 4 Jan + 5 business days = Mon 11 Jan, end of day in Mexico City
        Assert.True(h.Sinks.Timers.ContainsKey(timer.Id));

        h.Advance(Instant("2027-01-12T05:59:00Z") - h.Time.GetUtcNow());
        h.AssertTrace("wait");
        h.Advance(TimeSpan.FromMinutes(1));
        h.AssertTrace("wait", "finish");
        Assert.Empty(h.Sinks.Timers);
    }

    [Fact]
    public void ClockStepsStopResumeAndCompleteANamedClock()
    {
        var h = new PipelineHarness(definition: Compile("""
            {
              "key": "clock-steps", "name": "Clock steps", "start": "start",
              "steps": [
                { "id": "start", "type": "clock", "settings": { "action": "start", "clock": "review", "jurisdiction": "CA", "unit": "calendar-rolling", "days": 10 }, "outcomes": { "done": "work" } },
                { "id": "work", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" }, "outcomes": { "pause": "stop", "finish": "complete" } },
                { "id": "stop", "type": "clock", "settings": { "action": "stop", "clock": "review" }, "outcomes": { "done": "paused" } },
                { "id": "paused", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" }, "outcomes": { "resume": "resume" } },
                { "id": "resume", "type": "clock", "settings": { "action": "resume", "clock": "review" }, "outcomes": { "done": "work" } },
                { "id": "complete", "type": "clock", "settings": { "action": "complete", "clock": "review" }, "outcomes": { "done": "finish" } },
                { "id": "finish", "type": "end" }
              ]
            }
            """));
        h.Start([]);
        var clock = h.Instance.FindClock("review", "CA")!;
        Assert.Equal(Date("2027-01-14"), clock.DueDate(h.Calendar("CA"), Date("2027-01-04")));

        h.AdvanceDays(2);
        h.Complete("work", "pause", "officer");
        Assert.Equal(ClockState.Stopped, clock.State);
        h.AdvanceDays(7);
        h.Complete("paused", "resume", "officer");
        Assert.Equal(ClockState.Running, clock.State);
        Assert.Equal(8, clock.RemainingDays(h.Calendar("CA"), Date("2027-01-13")));
        Assert.Equal(Date("2027-01-21"), clock.DueDate(h.Calendar("CA"), Date("2027-01-13")));

        h.Complete("work", "finish", "officer");
        Assert.Equal(ClockState.Completed, clock.State);
        Assert.Empty(h.Sinks.Timers);
    }

    [Fact]
    public void ADecisionTableWithFirstHitTakesTheFirstMatchingRowOrTheDefault()
    {
        var definition = Compile("""
            {
              "key": "first-hit", "name": "First hit", "start": "table",
              "variables": { "value": 0 },
              "steps": [
                {
                  "id": "table", "type": "decision-table",
                  "settings": {
                    "hitPolicy": "first",
                    "rules": [
                      { "id": "big", "when": "value >= 1000", "then": { "band": "large", "points": 2 } },
                      { "id": "medium", "when": "value >= 100", "then": { "band": "medium", "points": 1 } }
                    ],
                    "default": { "band": "small", "points": 0 }
                  },
                  "outcomes": { "done": "finish" }
                },
                { "id": "finish", "type": "end" }
              ]
            }
            """);
        static JsonObject Run(CompiledDefinition d, int value)
        {
            var h = new PipelineHarness(definition: d);
            return h.StartWith(new JsonObject { ["value"] = value }).Variables;
        }

        Assert.Equal("large", Run(definition, 5000)["band"]!.GetValue<string>());
        Assert.Equal("big", Run(definition, 5000)["firedRules"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("medium", Run(definition, 500)["band"]!.GetValue<string>());
        var small = Run(definition, 5);
        Assert.Equal("small", small["band"]!.GetValue<string>());
        Assert.Empty(small["firedRules"]!.AsArray());
    }

    [Fact]
    public void AnUnexpectedDecisionValueTakesTheDefaultOutcomeOrRaisesAnIncident()
    {
        const string template = """
            {
              "key": "routing", "name": "Routing", "start": "route", "variables": { "lane": "red" },
              "steps": [
                { "id": "route", "type": "decide", "settings": { "expression": "lane" }, "outcomes": { "green": "finish" OTHER } },
                { "id": "finish", "type": "end" }
              ]
            }
            """;
        var withDefault = new PipelineHarness(definition: Compile(template.Replace("OTHER", ", \"default\": \"finish\"", StringComparison.Ordinal)));
        withDefault.Start([]);
        Assert.Equal(WorkflowStatus.Finished, withDefault.Instance.Status);
        Assert.Equal("default", withDefault.Instance.Journal[0].Outcome);

        var without = new PipelineHarness(definition: Compile(template.Replace("OTHER", string.Empty, StringComparison.Ordinal)));
        without.Start([]);
        Assert.Equal(WorkflowStatus.Faulted, without.Instance.Status);
        Assert.Contains("'red'", Assert.Single(without.Instance.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AGlobalOneInstanceLeavesBehindIsGoneWhenTheNextInstanceRuns()
    {
        var definition = Compile("""
            {
              "key": "leak", "name": "Leak", "start": "look",
              "steps": [
                { "id": "look", "type": "decide", "settings": { "expression": "typeof secret === 'undefined' && typeof declared === 'undefined' ? 'clean' : 'leaked'" },
                  "outcomes": { "clean": "plant", "leaked": "finish" } },
                { "id": "plant", "type": "assign", "settings": { "set": { "x": "=(globalThis.secret = filing.name, 1)", "y": "=var declared = filing.name; 2" } }, "outcomes": { "done": "finish" } },
                { "id": "finish", "type": "end" }
              ]
            }
            """);

        var first = new PipelineHarness(definition: definition);
        first.Start(new JsonObject { ["name"] = "Case A" });
        var second = new PipelineHarness(definition: definition);
        second.Start(new JsonObject { ["name"] = "Case B" });

        Assert.Equal("clean", first.Instance.Journal[0].Outcome);
        Assert.Equal("clean", second.Instance.Journal[0].Outcome);
        second.AssertTrace("look", "plant", "finish");
    }
}
