using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Tests.Persistence;

/// <summary>
/// Each database has its own migrations, both from one Initial (decision 0022) and one step for each later change, and each set is up to date with the
/// model: a change to an entity without a migration for both fails here, before any deployment finds it.
/// </summary>
public class MigrationSetsTests
{
    private static ScreeningDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<ScreeningDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static PostgreSqlScreeningDbContext PostgreSql() =>
        new(new DbContextOptionsBuilder<PostgreSqlScreeningDbContext>().UseNpgsql("Host=127.0.0.1;Database=unused").Options);

    [Fact]
    public void SqliteAndPostgreSqlEachStartFromAnInitialOfTheirOwnAndTakeTheSameSteps()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();

        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.EndsWith("_Initial", sqliteMigrations[0], StringComparison.Ordinal);
        Assert.EndsWith("_Initial", postgresMigrations[0], StringComparison.Ordinal);
        Assert.NotEqual(sqliteMigrations[0], postgresMigrations[0]);
        // One migration in each set for every schema change, named alike.
        Assert.Equal(sqliteMigrations.Select(Name), postgresMigrations.Select(Name));
    }

    private static string Name(string migration) => migration[(migration.IndexOf('_', StringComparison.Ordinal) + 1)..];

    [Fact]
    public void NeitherSetLagsBehindTheModel()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration.");
    }
}
