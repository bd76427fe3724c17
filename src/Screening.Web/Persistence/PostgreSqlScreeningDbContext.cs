using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Screening.Web.Persistence;

/// <summary>
/// The context on PostgreSQL: the same model as <see cref="ScreeningDbContext"/>, a type of its own so that its
/// migrations (<c>Persistence/PostgreSqlMigrations</c>) are found apart from SQLite's. Handlers ask for
/// <see cref="ScreeningDbContext"/> and get this one.
/// </summary>
public sealed class PostgreSqlScreeningDbContext(DbContextOptions<PostgreSqlScreeningDbContext> options) : ScreeningDbContext(options);

/// <summary>Design-time factory for PostgreSQL's migrations; making one never connects.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlScreeningDbContext>
{
    public PostgreSqlScreeningDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlScreeningDbContext>().UseNpgsql("Host=localhost;Database=screening-design-time").Options);
}
