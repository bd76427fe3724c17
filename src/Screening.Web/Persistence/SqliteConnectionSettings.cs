using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Screening.Web.Persistence;

/// <summary>
/// Sets <c>synchronous=FULL</c> on every SQLite connection: in WAL mode the default (NORMAL) can lose the
/// last commits on power loss, and an acknowledged case or decision must survive a crash at any instant.
/// Pooled connections keep their settings, so each physical connection is set up once.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
    private static readonly ConditionalWeakTable<object, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (NeedsSetUp(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (NeedsSetUp(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // The native handle identifies the physical connection behind a pooled SqliteConnection.
    private static bool NeedsSetUp(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Prepared.TryAdd(handle, handle);
}

/// <summary>Design-time factory for migrations.</summary>
public sealed class DesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<ScreeningDbContext>
{
    public ScreeningDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ScreeningDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
