using Screening.Testing;

namespace Screening.Workflows.Tests;

/// <summary>Finds the repository's own files, so tests load the shipped workflows rather than copies.</summary>
internal static class RepositoryFiles
{
    public static string Workflow(string key) => Path.Combine(RepositoryRoot.Folder, "workflows", $"{key}.json");

    public static IEnumerable<string> AllWorkflows() => Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Folder, "workflows"), "*.json")
        .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal));
}
