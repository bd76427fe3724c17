using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;
using static Screening.Workflows.Tests.Definitions.TestDefinitions;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// Whole definitions: every problem of a definition is reported at once, every shipped workflow compiles,
/// a definition has at most so many steps, and a loop that never waits is stopped when it runs.
/// </summary>
public class DefinitionLimitAndShippedWorkflowTests
{
    // ---------------------------------------------------------------- many problems, shipped workflows

    [Fact]
    public void EveryProblemOfADefinitionIsReportedAtOnce()
    {
        var json = """
            {
              "key": "Five Problems",
              "name": "Five problems",
              "start": "prepare",
              "steps": [
                { "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "nap" } },
                { "id": "nap", "type": "sleep", "outcomes": { "done": "route" } },
                { "id": "route", "type": "decide", "settings": { "expression": "ready &&" }, "outcomes": { "true": "finish", "false": "ghost" } },
                { "id": "finish", "type": "end" },
                { "id": "finish", "type": "end", "settings": { "status": "withdrawn" } }
              ]
            }
            """;

        (string Path, string Code)[] expected =
        [
            ("$.key", ProblemCodes.InvalidField),
            ("$.steps[1].type", ProblemCodes.UnknownStepType),
            ("$.steps[2].outcomes.false", ProblemCodes.DanglingConnection),
            ("$.steps[2].settings.expression", ProblemCodes.ExpressionSyntax),
            ("$.steps[4].id", ProblemCodes.DuplicateId),
        ];

        var problems = Problems(json);

        Assert.Equal(expected, problems.Select(p => (p.Path, p.Code)).OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Code, StringComparer.Ordinal));
    }

    public static TheoryData<string> ShippedWorkflows() => new(RepositoryFiles.AllWorkflows().Select(Path.GetFileName).OfType<string>());

    [Fact]
    public void TheRepositoryShipsAtLeastOneWorkflow() => Assert.NotEmpty(RepositoryFiles.AllWorkflows());

    [Theory]
    [MemberData(nameof(ShippedWorkflows))]
    public void EveryShippedWorkflowCompilesWithoutProblems(string fileName)
    {
        var path = RepositoryFiles.AllWorkflows().Single(f => Path.GetFileName(f) == fileName);

        var compiled = CompiledDefinition.Compile(File.ReadAllText(path), out var problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.NotNull(compiled);
        Assert.True(compiled.IsValid);
    }

    // ---------------------------------------------------------------- the most steps

    [Fact(Timeout = 60_000)]
    public async Task ADefinitionWithMoreThanTheMostStepsIsTooLargeAndComesBackWithoutValidatingEachStep()
    {
        var json = Chain(WorkflowDefinitionReader.MaxSteps + 1);

        var problems = await Task.Run(() => Problems(json));

        var problem = AssertOne(problems, "$.steps", ProblemCodes.TooLarge);
        AssertSentence(problem.Message, $"at most {WorkflowDefinitionReader.MaxSteps} steps", $"{WorkflowDefinitionReader.MaxSteps + 1}");
        Assert.DoesNotContain(problems, p => p.Path.StartsWith("$.steps[", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task ADefinitionWithExactlyTheMostStepsIsAccepted()
    {
        var json = Chain(WorkflowDefinitionReader.MaxSteps);

        var problems = await Task.Run(() => Problems(json));

        Assert.Empty(problems);
    }

    // ---------------------------------------------------------------- loops that never wait

    private const string BusyLoop = """
        {
          "key": "busy-loop",
          "name": "A loop that never waits",
          "variables": { "turns": 0 },
          "start": "count",
          "steps": [
            { "id": "count", "type": "assign", "settings": { "set": { "turns": "=turns + 1" } }, "outcomes": { "done": "check" } },
            { "id": "check", "type": "decide", "settings": { "expression": "turns >= 0 ? 'again' : 'stop'" }, "outcomes": { "again": "count", "stop": "finish" } },
            { "id": "finish", "type": "end" }
          ]
        }
        """;

    [Fact]
    public void ACycleThatNeverWaitsIsValidButStopsAtRunTimeWithAnIncident()
    {
        var compiled = CompiledDefinition.Compile(BusyLoop, out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);
        var limit = new WorkflowServices { Time = h.Time, Calendars = h.Calendars }.MaxStepsPerRun;

        var instance = h.Start(new JsonObject());

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(instance.Incidents);
        Assert.True(incident.StepId is "count" or "check", incident.StepId);
        Assert.Null(incident.ResolvedAt);
        AssertSentence(incident.Message, $"More than {limit} steps", "without waiting", "loops");
        var token = Assert.Single(instance.Tokens);
        Assert.Equal(TokenState.Faulted, token.State);
        Assert.Equal(incident.TokenId, token.Id);
        Assert.InRange(instance.Variables["turns"]!.GetValue<long>(), 1, limit);
        Assert.InRange(instance.Trace.Count, 1, limit);
    }

    [Fact]
    public void TheNumberOfStepsARunMayTakeWithoutWaitingIsASetting()
    {
        var compiled = CompiledDefinition.Compile(BusyLoop, out _)!;
        var h = new PipelineHarness(definition: compiled);
        var runner = new WorkflowRunner(new WorkflowServices { Time = h.Time, Calendars = h.Calendars, MaxStepsPerRun = 10 });

        var instance = runner.Start(compiled, "case-loop").Instance;

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(instance.Incidents);
        AssertSentence(incident.Message, "More than 10 steps", "without waiting");
        Assert.Equal(10, instance.Trace.Count);
        Assert.Equal(5, instance.Variables["turns"]!.GetValue<long>());
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>A chain of assign steps ending in an end step, with <paramref name="count"/> steps in all.</summary>
    private static string Chain(int count)
    {
        var steps = new JsonArray();
        for (var i = 0; i < count - 1; i++)
        {
            steps.Add(new JsonObject
            {
                ["id"] = $"s{i}",
                ["type"] = "assign",
                ["settings"] = new JsonObject { ["set"] = new JsonObject { ["n"] = i } },
                ["outcomes"] = new JsonObject { ["done"] = i == count - 2 ? "finish" : $"s{i + 1}" },
            });
        }

        steps.Add(new JsonObject { ["id"] = "finish", ["type"] = "end" });
        return new JsonObject { ["key"] = "chain", ["name"] = "Chain", ["start"] = "s0", ["steps"] = steps }.ToJsonString();
    }
}
