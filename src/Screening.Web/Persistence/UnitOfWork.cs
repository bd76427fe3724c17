using Screening.Web.Audit;
using Screening.Web.Jobs;

namespace Screening.Web.Persistence;

/// <summary>
/// Commits one command: what its context tracks and its audit entries, in its own savepoint of the writer's next
/// transaction (<see cref="GroupCommit"/>), answered once that transaction has committed; then the jobs for its new
/// timers and outbox rows.
/// </summary>
public sealed class UnitOfWork(ScreeningDbContext db, AuditTrail audit, JobDispatcher jobs, GroupCommit writer)
{
    private readonly List<Action> _committed = [];
    private readonly List<Func<ScreeningDbContext, Task>> _statements = [];
    private readonly List<object> _inserts = [];

    /// <summary>Runs <paramref name="action"/> once this command has committed, before its caller is answered; never if it fails.</summary>
    public void OnCommitted(Action action) => _committed.Add(action);

    /// <summary>
    /// Runs a set-based statement (an <c>ExecuteUpdate</c>) in this command's savepoint, after what its context tracks
    /// is saved: it commits with the command or not at all. One that throws refuses the command alone.
    /// </summary>
    public void Execute(Func<ScreeningDbContext, Task> statement) => _statements.Add(statement);

    /// <summary>
    /// Adds a row this command only inserts and does not read back (a journal row, an outbox row): written with its
    /// audit entries by one INSERT statement after what its context tracks (<see cref="RowStatements"/>), not tracked.
    /// </summary>
    public void Insert(object row) => _inserts.Add(row);

    /// <summary>Saves everything tracked and the pending audit entries, together, durably.</summary>
    /// <exception cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException">Someone else changed a guarded row first.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // Not cancellable once queued: the writer uses this scope's context until the batch has committed.
            await writer.CommitAsync(db, audit, _committed, _statements, _inserts, jobs.TakeOutbox());
        }
        finally
        {
            _committed.Clear();
            _statements.Clear();
            _inserts.Clear();
        }

        // After the commit: a crash here loses only job ids, and the sweep fires what they would have.
        await jobs.FlushAsync(cancellationToken);
    }
}
