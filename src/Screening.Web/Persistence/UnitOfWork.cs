using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Jobs;

namespace Screening.Web.Persistence;

/// <summary>
/// Commits one command: a write transaction that serialises writers (SQLite's BEGIN IMMEDIATE, an advisory
/// lock on PostgreSQL), the audit entries chained inside it, then the jobs for new timers and outbox rows.
/// </summary>
public sealed class UnitOfWork(ScreeningDbContext db, AuditTrail audit, JobDispatcher jobs, WriteGate gate, ChangeStamps stamps)
{
    private const long AuditLockKey = 0x5C5EE71;

    /// <summary>Saves everything tracked and the pending audit entries in one transaction.</summary>
    /// <exception cref="DbUpdateConcurrencyException">Someone else changed a guarded row first.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        var sqlite = db.Database.IsSqlite();
        if (sqlite)
        {
            await gate.WaitAsync(cancellationToken);
        }

        try
        {
            // Behind the gate, so the stamps move in commit order; marked before the write, recorded after it.
            var entries = audit.Pending.ToList();
            stamps.Writing(entries);
            await CommitOnceAsync(cancellationToken);
            stamps.Committed(entries);
        }
        finally
        {
            if (sqlite)
            {
                gate.Release();
            }
        }

        // After the commit: a crash here loses only job ids, and the sweep fires what they would have.
        await jobs.FlushAsync(cancellationToken);
    }

    private async Task CommitOnceAsync(CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (db.Database.IsNpgsql())
            {
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditLockKey})", cancellationToken);
            }

            await audit.ChainAsync(db, stamps, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
    }
}

/// <summary>
/// One SQLite writer at a time in this process. SQLite allows one writer anyway; waiting here is a queue,
/// where waiting on SQLite's lock is a busy loop of sleeps that made concurrent commands many times slower.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task WaitAsync(CancellationToken cancellationToken) => _gate.WaitAsync(cancellationToken);

    public void Release() => _gate.Release();
}
