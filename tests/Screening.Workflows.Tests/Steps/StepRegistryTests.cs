using System.Text.Json.Nodes;
using Screening.Testing;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Steps;
using Screening.Workflows.Tests.Pipeline;

namespace Screening.Workflows.Tests.Steps;

/// <summary>
/// The step types the engine knows are the ones its JSON schema describes, setting by setting, and a host can
/// add a type of its own in one class without the runner knowing anything about it.
/// </summary>
public class StepRegistryTests
{
    private static JsonObject Schema => JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "workflows", "workflow-definition.schema.json")))!.AsObject();

    [Fact]
    public void TheSchemaNamesExactlyTheRegisteredStepTypes()
    {
        var inSchema = Schema["$defs"]!["step"]!["properties"]!["type"]!["enum"]!.AsArray().Select(t => t!.GetValue<string>());

        Assert.Equal(StepRegistry.Default.Types.Select(t => t.Type).Order(), inSchema.Order());
    }

    [Fact]
    public void TheSchemaDescribesEverySettingEachStepTypeReadsAndNoOther()
    {
        var blocks = Schema["$defs"]!["step"]!["allOf"]!.AsArray()
            .ToDictionary(b => b!["if"]!["properties"]!["type"]!["const"]!.GetValue<string>(), b => b!["then"]!["properties"]!["settings"]!["properties"]!.AsObject());

        foreach (var type in StepRegistry.Default.Types)
        {
            Assert.True(blocks.ContainsKey(type.Type), $"The schema has no settings block for '{type.Type}'.");
            Assert.Equal(type.SettingNames.Order(), blocks[type.Type].Select(p => p.Key).Order());
        }
    }

    [Fact]
    public void AHostAddsAStepTypeOfItsOwnInOneClass()
    {
        var registry = StepRegistry.Default.With(new StampStep());
        var compiled = CompiledDefinition.Compile("""
            {
              "key": "stamped", "name": "Stamped", "start": "stamp",
              "steps": [
                { "id": "stamp", "type": "stamp", "settings": { "variable": "stamped" }, "outcomes": { "done": "finish" } },
                { "id": "finish", "type": "end", "settings": { "status": "closed" } }
              ]
            }
            """, out var problems, registry: registry);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);

        var instance = h.StartWith([]);

        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal("2027-01-04T15:00:00.0000000Z", instance.Variables["stamped"]!.GetValue<string>());
        Assert.Equal(["stamp", "finish"], instance.Trace);
    }

    [Fact]
    public void AStepTypeTheRegistryDoesNotKnowIsReportedWithTheKnownOnes()
    {
        CompiledDefinition.Compile("""
            { "key": "stamped", "name": "Stamped", "start": "stamp",
              "steps": [ { "id": "stamp", "type": "stamp", "outcomes": { "done": "finish" } }, { "id": "finish", "type": "end" } ] }
            """, out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal(("$.steps[0].type", ProblemCodes.UnknownStepType), (problem.Path, problem.Code));
        Assert.Contains("notice", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A host's own step: writes the instant it ran into a variable.</summary>
    private sealed class StampStep : StepType<StampSettings>
    {
        public override string Type => "stamp";

        public override string Summary => "writes the instant it ran into a variable";

        public override IReadOnlyList<string> SettingNames => ["variable"];

        protected override StampSettings? ReadSettings(SettingsReader reader)
        {
            if (reader.OptionalString("variable") is { } variable)
            {
                return new StampSettings(variable);
            }

            reader.Problem("variable", ProblemCodes.MissingField, $"Step '{reader.Step.Id}' needs 'variable'.");
            return null;
        }

        protected override void Execute(StepContext context, StampSettings settings)
        {
            context.SetVariable(settings.Variable, context.Now.UtcDateTime.ToString("O"));
            context.Continue(StepTypes.Done);
        }
    }

    private sealed record StampSettings(string Variable) : StepSettings;
}
