using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;
using static Screening.Workflows.Tests.Expressions.TestExpressions;

namespace Screening.Workflows.Tests.Expressions;

/// <summary>
/// Expressions inside a running definition, where a misbehaving expression must fault its step with a clear
/// incident that a retry can get past once the data is fixed.
/// </summary>
public class SandboxInDefinitionTests
{
    // ---------------------------------------------------------------- through a running definition

    [Fact]
    public void AnEndlessLoopFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("if (filing.mode === 'loop') { while (true) {} } 'ok'", "loop", limits: null, out var incident);

        AssertStatementsOrTime(incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void DeepRecursionFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("function f(n) { return f(n + 1); } filing.mode === 'recurse' ? f(0) : 'ok'", "recurse", NoHurry, out var incident);

        Assert.Equal($"The expression recursed deeper than {NoHurry.RecursionDepth} calls and was stopped.", incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AMemoryBombFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("let a = []; while (filing.mode === 'bomb') { a.push('x'.repeat(1000000)); } 'ok'", "bomb", NoHurry, out var incident);

        Assert.Equal(MemoryMessage(NoHurry), incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void ReachingForTheClrFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'clr' ? System.IO.File.ReadAllText('/etc/passwd') : 'ok'", "clr", limits: null, out var incident);

        Assert.StartsWith("The expression threw:", incident.Message, StringComparison.Ordinal);
        Assert.Contains("System is not defined", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void CompilingCodeFromAStringFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'eval' ? eval('\"ok\"') : 'ok'", "eval", limits: null, out var incident);

        Assert.StartsWith("The expression ", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AResultThatRefersToItselfFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("const o = {}; o.self = o; filing.mode === 'self' ? o : 'ok'", "self", limits: null, out var incident);

        Assert.Contains("refers to itself", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AResultWhoseGetterThrowsFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'getter' ? ({ get boom() { throw new Error('boom'); } }) : 'ok'", "getter", limits: null, out var incident);

        Assert.Contains("boom", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void TwoSettingsOfOneStepMayDeclareTheSameConstant()
    {
        const string json = """
            {
              "key": "constants",
              "name": "Constants",
              "start": "prepare",
              "steps": [
                {
                  "id": "prepare", "type": "assign",
                  "settings": { "set": { "host": "=const j = filing.jurisdiction; j", "partner": "=const j = filing.jurisdiction; j === 'CA' ? 'MX' : 'CA'" } },
                  "outcomes": { "done": "finish" }
                },
                { "id": "finish", "type": "end", "settings": { "status": "closed" } }
              ]
            }
            """;
        var compiled = CompiledDefinition.Compile(json, out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);

        var instance = h.Start(new JsonObject { ["jurisdiction"] = "CA" });

        Assert.True(instance.Incidents.Count == 0, string.Join("; ", instance.Incidents.Select(i => i.Message)));
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal("CA", instance.Variables["host"]!.GetValue<string>());
        Assert.Equal("MX", instance.Variables["partner"]!.GetValue<string>());
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// Runs <c>check</c> (a decide step with the expression, its only outcome 'ok' leading to the end) for a
    /// filing whose mode makes the expression misbehave, and asserts the instance is faulted with one incident on the step.
    /// </summary>
    private static PipelineHarness StartFaulted(string expression, string mode, ExpressionLimits? limits, out Incident incident)
    {
        var json = new JsonObject
        {
            ["key"] = "sandbox",
            ["name"] = "Sandbox",
            ["start"] = "check",
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "check",
                    ["type"] = "decide",
                    ["settings"] = new JsonObject { ["expression"] = expression },
                    ["outcomes"] = new JsonObject { ["ok"] = "finish" },
                },
                new JsonObject { ["id"] = "finish", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "closed" } }),
        }.ToJsonString();
        var compiled = CompiledDefinition.Compile(json, out var problems, limits);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        var h = new PipelineHarness(definition: compiled);

        var instance = h.Start(new JsonObject { ["mode"] = mode });

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        incident = Assert.Single(instance.Incidents);
        Assert.Equal("check", incident.StepId);
        Assert.Null(incident.ResolvedAt);
        Assert.False(string.IsNullOrWhiteSpace(incident.Message));
        Assert.Equal(TokenState.Faulted, Assert.Single(instance.Tokens).State);
        var entry = Assert.Single(instance.Journal);
        Assert.Equal("faulted", entry.Outcome);
        Assert.Equal(incident.Message, entry.Note);
        return h;
    }

    /// <summary>Fixes the filing so the expression behaves, retries the incident and expects the case to finish.</summary>
    private static void RetryAfterFixing(PipelineHarness h, Incident incident)
    {
        h.Instance.Variables["filing"]!.AsObject()["mode"] = "normal";

        var result = h.Runner.Retry(h.Definition, h.Instance, incident.Id);

        Assert.True(result.Succeeded, result.Message);
        Assert.NotNull(incident.ResolvedAt);
        Assert.Single(h.Instance.Incidents);
        Assert.Equal(WorkflowStatus.Finished, h.Instance.Status);
        Assert.Equal("closed", h.Instance.EndStatus);
        h.AssertTrace("check", "check", "finish");
        Assert.Equal(ResumeStatus.AlreadyResumed, h.Runner.Retry(h.Definition, h.Instance, incident.Id).Status);
    }
}
