using Mediator;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Documents;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record BackupResult(string Directory, IReadOnlyList<string> Files, long Bytes, DateTimeOffset At)
{
    /// <summary>How many documents' content the backup holds (in its <c>documents</c> folder).</summary>
    public int Documents { get; init; }
}

/// <summary>
/// An online backup of the SQLite databases with SQLite's backup API: consistent while requests keep
/// writing, each file copied page by page under SQLite's own locking; then the documents' content, as the
/// store names it (<c>documents/ab/abcdef…</c>). Content is put in the store before the row that names it
/// commits, and never changes, so copying it after the databases covers every document they record.
/// Restoring is copying the files back into the data folder while the host is stopped (scripts/restore.sh).
/// On PostgreSQL the database (the jobs among it) is dumped with <c>pg_dump --format=custom</c>, one consistent
/// snapshot taken while requests keep writing, when the machine has pg_dump; restored with pg_restore
/// (scripts/restore.sh does either).
/// </summary>
public sealed record BackupDatabases(string Actor) : ICommand<BackupResult>;

public sealed class BackupDatabasesHandler(IOptions<ScreeningOptions> options, AuditTrail audit, UnitOfWork unitOfWork, TimeProvider time, ScreeningDbContext db, IContentStore store)
    : ICommandHandler<BackupDatabases, BackupResult>
{
    public static readonly string[] Databases = ["screening.db", "jobs.db"];

    public async ValueTask<BackupResult> Handle(BackupDatabases command, CancellationToken cancellationToken)
    {
        var data = Path.GetFullPath(options.Value.DataDirectory);
        var at = time.GetUtcNow();
        var target = Path.Combine(data, "backups", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture));
        var files = new List<string>();
        long bytes = 0;
        if (!db.Database.IsSqlite())
        {
            // Found before anything is made, so a refusal leaves nothing behind.
            var pgDump = PostgreSqlDump.Find() ?? throw new ConflictException(
                "This machine has no pg_dump: back up the PostgreSQL database with pg_dump --format=custom (or the provider's snapshots) and the documents folder beside it; scripts/restore.sh restores both.");
            Directory.CreateDirectory(target);
            await PostgreSqlDump.RunAsync(pgDump, db.Database.GetConnectionString()!, Path.Combine(target, PostgreSqlDump.FileName), cancellationToken);
            files.Add(PostgreSqlDump.FileName);
            bytes += new FileInfo(Path.Combine(target, PostgreSqlDump.FileName)).Length;
        }

        Directory.CreateDirectory(target);
        foreach (var name in db.Database.IsSqlite() ? Databases : [])
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

        var documents = 0;
        await foreach (var sha256 in store.ListAsync(cancellationToken))
        {
            var folder = Path.Combine(target, "documents", sha256[..2]);
            Directory.CreateDirectory(folder);
            await using (var from = await store.OpenAsync(sha256, cancellationToken))
            {
                if (from is null)
                {
                    continue;
                }

                await using var to = new FileStream(Path.Combine(folder, sha256), FileMode.CreateNew, FileAccess.Write, FileShare.None, 80 * 1024, FileOptions.Asynchronous);
                await from.CopyToAsync(to, cancellationToken);
                bytes += to.Length;
            }

            documents++;
        }

        audit.Record(command.Actor, "backup.created", null, new { directory = target, files, bytes, documents });
        await unitOfWork.CommitAsync(cancellationToken);
        return new BackupResult(target, files, bytes, at) { Documents = documents };
    }
}
