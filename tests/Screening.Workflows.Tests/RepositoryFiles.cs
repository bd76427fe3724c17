namespace Screening.Workflows.Tests;

/// <summary>Finds the repository's own files, so tests load the shipped workflows rather than copies.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Screening.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with Screening.sln) was not found above the test binaries.");
    });

    public static string Workflow(string key) => Path.Combine(Root.Value, "workflows", $"{key}.json");

    public static IEnumerable<string> AllWorkflows() => Directory.EnumerateFiles(Path.Combine(Root.Value, "workflows"), "*.json")
        .Where(f => !f.EndsWith(".schema.json", StringComparison.Ordinal));
}
