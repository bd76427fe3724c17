using Microsoft.AspNetCore.Hosting;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>
/// A host started on the data directory another host used (its database and keys), with the simulated
/// clock starting at a given instant: what a restart of the process looks like. The directory belongs to the
/// test, which deletes it with <see cref="DeleteDirectory"/> once every host on it is disposed.
/// </summary>
public sealed class ExistingDataScreeningFactory : ScreeningFactory
{
    public ExistingDataScreeningFactory(string dataDirectory, DateTimeOffset now)
    {
        SharedDataDirectory = dataDirectory;
        if (now > Time.GetUtcNow())
        {
            Time.SetUtcNow(now);
        }
    }

    /// <summary>The data directory this host runs on (shared with the hosts before and after it).</summary>
    public string SharedDataDirectory { get; }

    /// <summary>A fresh directory for a sequence of hosts.</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), "screening-tests", "restart-" + Guid.NewGuid().ToString("N"));

    /// <summary>Deletes a directory used by hosts that are all disposed.</summary>
    public static void DeleteDirectory(string directory) => TestDatabase.Delete(directory);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Screening:DataDirectory", SharedDataDirectory);
        TestDatabase.Configure(builder, SharedDataDirectory);
    }
}
