using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Tests.Persistence;

/// <summary>
/// Each database has its own migrations, both from one Initial (decision 0022), and each set is up to date with the
/// model: a change to an entity without a migration for both fails here, before any deployment finds it.
/// </summary>
public class MigrationSetsTests
{
    private static ScreeningDbContext Sqlite() =>
        new(new DbContextOptionsBuilder<ScreeningDbContext>().UseSqlite("Data Source=:memory:").Options);

    private static PostgreSqlScreeningDbContext PostgreSql() =>
        new(new DbContextOptionsBuilder<PostgreSqlScreeningDbContext>().UseNpgsql("Host=127.0.0.1;Database=unused").Options);

    [Fact]
    public void SqliteAndPostgreSqlEachHaveOneInitialOfTheirOwn()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();

        var sqliteMigrations = sqlite.Database.GetMigrations().ToList();
        var postgresMigrations = postgres.Database.GetMigrations().ToList();

        Assert.EndsWith("_Initial", Assert.Single(sqliteMigrations), StringComparison.Ordinal);
        Assert.EndsWith("_Initial", Assert.Single(postgresMigrations), StringComparison.Ordinal);
        Assert.NotEqual(sqliteMigrations[0], postgresMigrations[0]);
    }

    [Fact]
    public void NeitherSetLagsBehindTheModel()
    {
        using var sqlite = Sqlite();
        using var postgres = PostgreSql();

        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration.");
    }
}
