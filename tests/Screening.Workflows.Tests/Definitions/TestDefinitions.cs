using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// The smallest valid definition (an assign step followed by an end step) and its pieces, from which the
/// definition tests build one broken definition per kind of problem, and the assertions they make on the
/// problems the validator reports.
/// </summary>
internal static class TestDefinitions
{
    /// <summary>The smallest valid definition: assign → end.</summary>
    public const string Minimal = """
        {
          "key": "minimal",
          "name": "Minimal",
          "start": "prepare",
          "steps": [
            { "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish" } },
            { "id": "finish", "type": "end" }
          ]
        }
        """;

    public const string AssignStep = """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish" } }""";

    public const string EndStep = """{ "id": "finish", "type": "end" }""";

    public static IReadOnlyList<ValidationProblem> Problems(string json)
    {
        CompiledDefinition.Compile(json, out var problems, vocabulary: ScreeningWords.Vocabulary);
        return problems;
    }

    /// <summary>The minimal definition with these steps (start stays 'prepare').</summary>
    public static string WithSteps(params string[] steps) => $$"""
        {
          "key": "minimal",
          "name": "Minimal",
          "start": "prepare",
          "steps": [
            {{string.Join(",\n", steps)}}
          ]
        }
        """;

    public static string AssignStepTo(string next) =>
        $$"""{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "{{next}}" } }""";

    public static string With(string json, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>The definition has exactly one problem, at that path with that code.</summary>
    public static ValidationProblem AssertOnly(IReadOnlyList<ValidationProblem> problems, string path, string code)
    {
        var problem = Assert.Single(problems);
        Assert.Equal((path, code), (problem.Path, problem.Code));
        return problem;
    }

    /// <summary>The definition has exactly one problem of that code, at that path (and maybe others that follow from it).</summary>
    public static ValidationProblem AssertOne(IReadOnlyList<ValidationProblem> problems, string path, string code)
    {
        var problem = Assert.Single(problems, p => p.Code == code);
        Assert.Equal(path, problem.Path);
        return problem;
    }

    /// <summary>The problem belongs to the step (for highlighting) and its message names it.</summary>
    public static void AssertNamesStep(ValidationProblem problem, string stepId)
    {
        Assert.Equal(stepId, problem.StepId);
        Assert.Contains($"'{stepId}'", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A sentence an administrator can read: it starts like one, ends like one, uses these words and leaks no internals.</summary>
    public static void AssertSentence(string message, params string[] words)
    {
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.True(char.IsUpper(message[0]) || message[0] == '\'', $"'{message}' does not start like a sentence.");
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Screening.Workflows", message, StringComparison.Ordinal);
        foreach (var word in words)
        {
            Assert.Contains(word, message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
