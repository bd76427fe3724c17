using System.Data.Common;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Hosting;

namespace Screening.Web.Persistence;

/// <summary>
/// The one writer (decision 0026). Commands that reach their commit while a transaction is in flight queue here,
/// and the next transaction writes all of them: one BEGIN, a savepoint per command, one COMMIT and so one fsync.
/// A command that fails rolls back to its savepoint alone and its caller gets its own error; the others go on (a
/// command alone has no savepoint: when it fails, the transaction is rolled back). After a command's tracked rows are
/// saved, its audit entries and the rows it only inserts go in by one statement (<see cref="RowStatements"/>), then its
/// set-based statements (<see cref="UnitOfWork.Execute"/>) run, all in its savepoint.
/// Every caller is answered only after the shared COMMIT has returned, so nothing is acknowledged that a crash
/// could take back. The audit chain is extended command by command inside the transaction, so a command rolled
/// back leaves no gap, and the change stamps move only for commands that committed.
/// </summary>
public sealed class GroupCommit(IServiceScopeFactory scopes, ChangeStamps stamps, Jobs.OutboxDeliverer deliverer, IOptions<ScreeningOptions> options, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    private const long AuditLockKey = 0x5C5EE71;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _starting = new();
    private Task? _writer;

    /// <summary>
    /// Writes what <paramref name="db"/> tracks and the entries pending in <paramref name="audit"/>, in the next
    /// transaction; completes once that transaction has committed, or throws this command's own failure.
    /// </summary>
    /// <param name="committed">Run after the COMMIT, before the caller is answered (in-memory state that must follow the database).</param>
    /// <param name="statements">Set-based statements of the command, run in its savepoint after its context is saved.</param>
    /// <param name="inserts">Rows the command only adds, inserted with its audit entries by one statement after its context is saved (<see cref="RowStatements"/>).</param>
    /// <param name="outbox">The command's new outbox rows: delivered with the batch's others once it committed (<see cref="Jobs.OutboxDeliverer"/>).</param>
    public Task CommitAsync(ScreeningDbContext db, AuditTrail audit, IReadOnlyList<Action> committed, IReadOnlyList<Func<ScreeningDbContext, Task>> statements, IReadOnlyList<object> inserts, IReadOnlyList<Guid> outbox)
    {
        var pending = new Pending(db, audit, committed, statements, inserts, outbox);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            throw new ObjectDisposedException(nameof(GroupCommit), "The host is stopping; nothing more is written.");
        }

        if (_writer is null)
        {
            lock (_starting)
            {
                _writer ??= Task.Run(WriteLoopAsync);
            }
        }

        return pending.Done.Task;
    }

    /// <summary>Batches committed so far and commands in them (for the benchmark's report and the tests).</summary>
    public (long Batches, long Commands) Written => (Interlocked.Read(ref _batches), Interlocked.Read(ref _commands));

    /// <summary>Commands waiting for the next transaction.</summary>
    public int Queued => Volatile.Read(ref _queued);

    private int _queued;

    private long _batches;
    private long _commands;

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        var max = Math.Max(1, options.Value.Database.MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(_stopping.Token))
            {
                batch.Clear();
                while (batch.Count < max && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                Interlocked.Add(ref _queued, -batch.Count);

                try
                {
                    await WriteAsync(batch);
                }
                catch (Exception ex)
                {
                    // WriteAsync answers each command itself; this is a bug in it, and the commands still need an answer.
                    logger.LogError(ex, "The writer failed outside a transaction.");
                    foreach (var pending in batch)
                    {
                        pending.Done.TrySetException(ex);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }

        while (_queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetException(new ObjectDisposedException(nameof(GroupCommit), "The host stopped before this was written."));
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        var entries = batch.SelectMany(p => p.Audit.Pending).ToList();
        // Marked before the write and recorded after it, in commit order: there is one writer.
        stamps.Writing(entries);
        Exception? failed = null;
        ChainTail? tail = null;
        var scope = scopes.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
        try
        {
            await writer.Database.OpenConnectionAsync(_stopping.Token);
            await using var transaction = await writer.Database.BeginTransactionAsync(CancellationToken.None);
            if (writer.Database.IsNpgsql())
            {
                // Every node's writer holds it to its COMMIT, so the chain has one tail whichever node writes.
                await writer.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AuditLockKey})", CancellationToken.None);
            }

            tail = stamps.TakeTail() ?? await AuditTrail.ReadTailAsync(writer, CancellationToken.None);
            var connection = writer.Database.GetDbConnection();
            var dbTransaction = transaction.GetDbTransaction();
            // A command alone needs no savepoint: if it fails, the whole transaction is rolled back, which is the same.
            for (var i = 0; i < batch.Count; i++)
            {
                tail = await WriteOneAsync(batch[i], batch.Count > 1 ? $"c{i}" : null, tail, connection, dbTransaction, transaction);
            }

            if (batch.TrueForAll(p => p.Failure is not null))
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
            else
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            failed = ex;
        }
        finally
        {
            // A context's connection can be given back only once the writer's is closed.
            await writer.Database.CloseConnectionAsync();
            foreach (var pending in batch.Where(p => p.OwnConnection is not null))
            {
                pending.Db.Database.SetDbConnection(null, contextOwnsConnection: true);
                pending.Db.Database.SetConnectionString(pending.OwnConnection);
            }

            await scope.DisposeAsync();
        }

        if (failed is not null)
        {
            // Nothing of the batch is stored: every command not already refused on its own gets the failure.
            logger.LogWarning(failed, "A batch of {Count} command(s) failed to commit.", batch.Count);
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(pending.Failure ?? failed);
            }

            return;
        }

        var written = batch.Where(p => p.Failure is null).ToList();
        var chained = written.SelectMany(p => p.Chained).ToList();
        if (chained.Count > 0)
        {
            stamps.Committed(chained);
        }
        else
        {
            stamps.ReturnTail(tail);
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _commands, batch.Count);
        foreach (var pending in written)
        {
            pending.Db.ChangeTracker.AcceptAllChanges();
            foreach (var action in pending.Committed)
            {
                action();
            }
        }

        if (options.Value.Database.KillAfterBatchOf is { } size && batch.Count >= size)
        {
            // The crash test's instant: committed, and not one caller answered.
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }

        foreach (var pending in batch)
        {
            if (pending.Failure is { } own)
            {
                pending.Done.TrySetException(own);
            }
            else
            {
                pending.Done.TrySetResult();
            }
        }

        deliverer.Deliver([.. written.SelectMany(p => p.Outbox)]);
    }

    /// <summary>One command in its savepoint (none when it is alone), on the writer's connection; returns the chain's tail after it.</summary>
    private static async Task<ChainTail?> WriteOneAsync(Pending pending, string? savepoint, ChainTail? tail, DbConnection connection, DbTransaction dbTransaction, IDbContextTransaction transaction)
    {
        var database = pending.Db.Database;
        if (savepoint is not null)
        {
            await transaction.CreateSavepointAsync(savepoint, CancellationToken.None);
        }

        try
        {
            // The command's context writes through the writer's connection and transaction for the length of the batch.
            var own = database.GetConnectionString();
            database.SetDbConnection(connection, contextOwnsConnection: false);
            pending.OwnConnection = own;
            await database.UseTransactionAsync(dbTransaction, CancellationToken.None);
            database.AutoSavepointsEnabled = false;
            pending.Chained = pending.Audit.Chain(tail);
            await pending.Db.SaveChangesAsync(acceptAllChangesOnSuccess: false, CancellationToken.None);
            await RowStatements.InsertAsync(pending.Db, [.. pending.Chained, .. pending.Inserts]);
            foreach (var statement in pending.Statements)
            {
                await statement(pending.Db);
            }

            if (savepoint is not null)
            {
                await transaction.ReleaseSavepointAsync(savepoint, CancellationToken.None);
            }

            return pending.Chained.Count > 0 ? new ChainTail(pending.Chained[^1].Seq, pending.Chained[^1].Hash) : tail;
        }
        catch (Exception ex)
        {
            // Its rows go with its savepoint (alone, with the transaction); the batch goes on. A savepoint that cannot be
            // rolled back fails the batch.
            pending.Failure = ex;
            pending.Chained = [];
            if (savepoint is not null)
            {
                await transaction.RollbackToSavepointAsync(savepoint, CancellationToken.None);
            }

            return tail;
        }
        finally
        {
            await database.UseTransactionAsync(null, CancellationToken.None);
            database.AutoSavepointsEnabled = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer)
        {
            // Let the batch in flight finish; what is still queued is answered as not written.
            await writer.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await _stopping.CancelAsync();
        _stopping.Dispose();
    }

    private sealed class Pending(ScreeningDbContext db, AuditTrail audit, IReadOnlyList<Action> committed, IReadOnlyList<Func<ScreeningDbContext, Task>> statements, IReadOnlyList<object> inserts, IReadOnlyList<Guid> outbox)
    {
        public IReadOnlyList<Func<ScreeningDbContext, Task>> Statements { get; } = [.. statements];

        public IReadOnlyList<object> Inserts { get; } = [.. inserts];

        public IReadOnlyList<Guid> Outbox { get; } = outbox;

        public ScreeningDbContext Db { get; } = db;

        public AuditTrail Audit { get; } = audit;

        public IReadOnlyList<Action> Committed { get; } = [.. committed];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; set; }

        /// <summary>The connection string of the context's own connection, while it borrows the writer's.</summary>
        public string? OwnConnection { get; set; }

        public IReadOnlyList<AuditEntry> Chained { get; set; } = [];
    }
}
