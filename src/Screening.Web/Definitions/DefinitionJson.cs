using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Workflows.Definitions;

namespace Screening.Web.Definitions;

/// <summary>How definitions are stored and reported.</summary>
public static class DefinitionJson
{
    public static System.Text.Json.JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>The stored JSON with its version number and publication state set.</summary>
    public static JsonNode WithVersion(DefinitionRecord record)
    {
        var node = JsonNode.Parse(record.Json)!.AsObject();
        node["version"] = record.Version;
        node["status"] = record.IsPublished ? "published" : "draft";
        return node;
    }

    /// <summary>400 with every problem: <c>errors</c> keyed by path, plus the problems with their codes and steps.</summary>
    public static ValidationFailedException Invalid(IReadOnlyList<ValidationProblem> problems) =>
        new DefinitionInvalidException(problems);
}

/// <summary>A definition with problems; the problem document also lists each problem with its code and step.</summary>
public sealed class DefinitionInvalidException : ValidationFailedException
{
    public DefinitionInvalidException(IReadOnlyList<ValidationProblem> problems)
        : base(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()), $"The definition has {problems.Count} problem(s).")
    {
        Problems = problems;
        Extensions["problems"] = problems.Select(p => new { path = p.Path, code = p.Code, message = p.Message, stepId = p.StepId }).ToList();
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
