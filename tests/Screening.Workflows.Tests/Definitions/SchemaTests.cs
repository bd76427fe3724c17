using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Screening.Testing;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// The shipped workflows match workflows/workflow-definition.schema.json, the schema their <c>$schema</c> points
/// text editors at, so the schema cannot drift from the definitions the engine runs. A failure lists every
/// offending JSON path.
/// </summary>
public class SchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(
        File.ReadAllText(SchemaFile),
        new BuildOptions { SchemaRegistry = new SchemaRegistry() },
        new Uri(SchemaFile)));

    private static string SchemaFile => Path.Combine(RepositoryRoot.Folder, "workflows", "workflow-definition.schema.json");

    public static TheoryData<string> ShippedWorkflows() => [.. RepositoryFiles.AllWorkflows().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(ShippedWorkflows))]
    public void AShippedWorkflowMatchesTheSchema(string file)
    {
        var failures = Failures(JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "workflows", file)))!);

        Assert.True(failures.Count == 0, $"{file} does not match the schema:{Environment.NewLine}{Describe(failures)}");
    }

    [Theory]
    [MemberData(nameof(ShippedWorkflows))]
    public void AShippedWorkflowSaysEveryTextInEveryLanguage(string file)
    {
        var compiled = CompiledDefinition.Compile(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "workflows", file)), out var problems);

        Assert.Empty(problems);
        Assert.True(compiled!.Warnings.Count == 0, string.Join(Environment.NewLine, compiled.Warnings.Select(w => $"{w.Path}: {w.Message}")));
    }

    [Fact]
    public void AStepOfAnUnknownTypeFailsAtThatStepsType()
    {
        var (workflow, index) = ShippedWithStep("human-task");
        workflow["steps"]![index]!["type"] = "sleep";

        var failures = Failures(workflow);

        Assert.Equal([$"$.steps[{index}].type"], failures.Select(f => f.Path).Distinct());
    }

    [Fact]
    public void AHumanTaskWithoutARoleFailsAtItsSettings()
    {
        var (workflow, index) = ShippedWithStep("human-task");
        workflow["steps"]![index]!["settings"]!.AsObject().Remove("role");

        var failures = Failures(workflow);

        Assert.Equal([$"$.steps[{index}].settings"], failures.Select(f => f.Path).Distinct());
        Assert.Contains(failures, f => f.Message.Contains("role", StringComparison.Ordinal));
    }

    /// <summary>The shipped bilateral workflow, and the index of its first step of the given type.</summary>
    private static (JsonNode Workflow, int Index) ShippedWithStep(string type)
    {
        var workflow = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Workflow("bilateral-screening")))!;
        Assert.Empty(Failures(workflow));
        var steps = workflow["steps"]!.AsArray();
        var index = steps.Select((s, i) => (s, i)).First(p => (string?)p.s!["type"] == type).i;
        return (workflow, index);
    }

    private static List<(string Path, string Message)> Failures(JsonNode workflow)
    {
        using var document = JsonDocument.Parse(workflow.ToJsonString());
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var failures = new List<(string Path, string Message)>();
        Collect(results, failures);
        Assert.True(results.IsValid == (failures.Count == 0), $"The validator's verdict ({results.IsValid}) and the errors it lists disagree.");
        return [.. failures.Distinct()];
    }

    /// <summary>The errors of every failing node under a failing parent: what made the document invalid.</summary>
    private static void Collect(EvaluationResults node, List<(string Path, string Message)> failures)
    {
        if (node.IsValid)
        {
            return;
        }

        var path = JsonPath(node.InstanceLocation.ToString());
        failures.AddRange((node.Errors ?? new Dictionary<string, string>()).Select(e => (path, $"{e.Key}: {e.Value} (schema {node.EvaluationPath})")));
        // A failing 'if' only selects a step type's rules; it never makes the document invalid.
        foreach (var child in (node.Details ?? []).Where(d => !d.EvaluationPath.ToString().EndsWith("/if", StringComparison.Ordinal)))
        {
            Collect(child, failures);
        }
    }

    private static string Describe(IEnumerable<(string Path, string Message)> failures) =>
        string.Join(Environment.NewLine, failures.Select(f => $"  {f.Path}: {f.Message}"));

    /// <summary>A JSON pointer (<c>/steps/3/type</c>) as the JSON path the engine's own problems use (<c>$.steps[3].type</c>).</summary>
    private static string JsonPath(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var segment in pointer.Split('/').Skip(1).Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
        {
            path.Append(segment.All(char.IsAsciiDigit) && segment.Length > 0 ? $"[{segment}]"
                : segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && segment.Length > 0 ? $".{segment}"
                : $"['{segment.Replace("'", "\\'", StringComparison.Ordinal)}']");
        }

        return path.ToString();
    }
}
