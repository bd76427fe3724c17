using Screening.Workflows.Definitions;

namespace Screening.Workflows.Tests.Definitions;

public class ReachabilityTests
{
    [Fact]
    public void OneBrokenConnectionIsReportedOnceWhereTheCutOffPartBegins()
    {
        const string json = """
            {
              "key": "cut", "name": "Cut", "start": "a",
              "steps": [
                { "id": "a", "type": "assign", "settings": { "set": { "x": 1 } }, "outcomes": { "done": "typo" } },
                { "id": "b", "type": "assign", "settings": { "set": { "x": 2 } }, "outcomes": { "done": "c" } },
                { "id": "c", "type": "assign", "settings": { "set": { "x": 3 } }, "outcomes": { "done": "d" } },
                { "id": "d", "type": "end" }
              ]
            }
            """;

        CompiledDefinition.Compile(json, out var problems);

        var unreachable = Assert.Single(problems, p => p.Code == ProblemCodes.UnreachableStep);
        Assert.Equal(("$.steps[1]", "b"), (unreachable.Path, unreachable.StepId));
        Assert.Contains("nor to the 2 step(s) that follow", unreachable.Message, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Code == ProblemCodes.DanglingConnection && p.Path == "$.steps[0].outcomes.done");
    }

    [Fact]
    public void ACutOffCycleIsReportedOnce()
    {
        const string json = """
            {
              "key": "island", "name": "Island", "start": "a",
              "steps": [
                { "id": "a", "type": "end" },
                { "id": "b", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" }, "outcomes": { "again": "c", "stop": "d" } },
                { "id": "c", "type": "assign", "settings": { "set": { "x": 3 } }, "outcomes": { "done": "b" } },
                { "id": "d", "type": "end" }
              ]
            }
            """;

        CompiledDefinition.Compile(json, out var problems);

        var unreachable = Assert.Single(problems, p => p.Code == ProblemCodes.UnreachableStep);
        Assert.Equal("b", unreachable.StepId);
    }
}
