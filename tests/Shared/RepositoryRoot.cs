namespace Screening.Testing;

/// <summary>The folder with Screening.sln above the running binaries: where the shipped files and results live.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Screening.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with Screening.sln) was not found above the binaries.");
    });

    public static string Folder => Found.Value;
}
