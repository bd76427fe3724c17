using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record BackupResult(string Directory, IReadOnlyList<string> Files, long Bytes, DateTimeOffset At);

/// <summary>
/// An online backup of the SQLite databases with SQLite's backup API: consistent while requests keep
/// writing, each file copied page by page under SQLite's own locking. Restoring is copying the files back
/// into the data folder while the host is stopped (see README).
/// </summary>
public sealed record BackupDatabases(string Actor) : ICommand<BackupResult>;

public sealed class BackupDatabasesHandler(IOptions<ScreeningOptions> options, AuditTrail audit, UnitOfWork unitOfWork, TimeProvider time, ScreeningDbContext db)
    : ICommandHandler<BackupDatabases, BackupResult>
{
    public static readonly string[] Databases = ["screening.db", "jobs.db"];

    public async ValueTask<BackupResult> Handle(BackupDatabases command, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            throw new ConflictException("Online backup here covers SQLite; back up PostgreSQL with pg_dump.");
        }

        var data = Path.GetFullPath(options.Value.DataDirectory);
        var at = time.GetUtcNow();
        var target = Path.Combine(data, "backups", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(target);
        var files = new List<string>();
        long bytes = 0;
        foreach (var name in Databases)
        {
            var source = Path.Combine(data, name);
            if (!File.Exists(source))
            {
                continue;
            }

            await using (var from = new SqliteConnection($"Data Source={source};Mode=ReadOnly;Pooling=False"))
            await using (var to = new SqliteConnection($"Data Source={Path.Combine(target, name)};Pooling=False"))
            {
                await from.OpenAsync(cancellationToken);
                await to.OpenAsync(cancellationToken);
                from.BackupDatabase(to);
            }

            files.Add(name);
            bytes += new FileInfo(Path.Combine(target, name)).Length;
        }

        audit.Record(command.Actor, "backup.created", null, new { directory = target, files, bytes });
        await unitOfWork.CommitAsync(cancellationToken);
        return new BackupResult(target, files, bytes, at);
    }
}
