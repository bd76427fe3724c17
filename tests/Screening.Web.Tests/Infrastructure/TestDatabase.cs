using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>
/// The database this test assembly runs the host on. The same tests are compiled twice: into
/// Screening.Web.Tests on SQLite (the default deployment) and into Screening.Web.Tests.PostgreSql, whose project
/// sets the assembly's <c>TestDatabase</c> metadata to <c>PostgreSql</c>, on a throwaway cluster with a fresh
/// database per data directory (one per test class, shared by the hosts a restart test starts on it).
/// </summary>
public static class TestDatabase
{
    public static bool IsPostgreSql { get; } = typeof(TestDatabase).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Any(a => a.Key == "TestDatabase" && string.Equals(a.Value, "PostgreSql", StringComparison.OrdinalIgnoreCase));

    /// <summary>Points a host at the database of a data directory (its SQLite file, or its database on the cluster).</summary>
    public static void Configure(IWebHostBuilder builder, string dataDirectory)
    {
        foreach (var (key, value) in Settings(dataDirectory))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// The same settings as command-line arguments, for a host run as a process of its own, which keeps its jobs
    /// beside its data as deployed: in its SQLite job file, or in the PostgreSQL database.
    /// </summary>
    public static IEnumerable<string> Arguments(string dataDirectory) =>
        Settings(dataDirectory).Append(new("Screening:Jobs:Storage", IsPostgreSql ? "PostgreSql" : "Sqlite")).Select(s => $"--{s.Key}={s.Value}");

    public static IEnumerable<KeyValuePair<string, string>> Settings(string dataDirectory)
    {
        if (!IsPostgreSql)
        {
            yield break;
        }

        yield return new("Screening:Database:Provider", "PostgreSql");
        yield return new("ConnectionStrings:Screening", PostgreSqlCluster.Instance.ConnectionString(PostgreSqlCluster.DatabaseFor(dataDirectory)));
    }

    /// <summary>
    /// A context on the database of a data directory, for a test to read (or, while its hosts are down, change) what
    /// a host process stored: the SQLite file in the directory, or the directory's database on the cluster.
    /// </summary>
    public static ScreeningDbContext Open(string dataDirectory) => IsPostgreSql
        ? OpenPostgreSql(PostgreSqlCluster.DatabaseFor(dataDirectory))
        : new ScreeningDbContext(new DbContextOptionsBuilder<ScreeningDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "screening.db")};Pooling=False").Options);

    /// <summary>A context on one database of the cluster.</summary>
    public static ScreeningDbContext OpenPostgreSql(string database) =>
        new PostgreSqlScreeningDbContext(new DbContextOptionsBuilder<PostgreSqlScreeningDbContext>()
            .UseNpgsql(PostgreSqlCluster.Instance.ConnectionString(database)).Options);

    /// <summary>Removes what a data directory's hosts stored, once every one of them is disposed.</summary>
    public static void Delete(string dataDirectory)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (IsPostgreSql)
        {
            PostgreSqlCluster.Instance.Drop(PostgreSqlCluster.DatabaseFor(dataDirectory));
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
