using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Hangfire entry points for timers. Each takes an id, re-checks the row and is safe to run twice; a race
/// with a command on the same case is retried in a fresh scope.
/// </summary>
public sealed class TimerJobs(IServiceScopeFactory scopes, TimerSlots slots, TimeProvider time, ILogger<TimerJobs> logger)
{
    private const int Attempts = 5;

    /// <summary>Timers of one slot fired side by side: one builds its next state while another commits.</summary>
    private const int Parallelism = 2;

    /// <summary>Fires one timer: for a slot, the sweep, and jobs scheduled one per timer by earlier versions.</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<FireTimerResult> FireAsync(Guid timerId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<Admin.SimulatedClockSync>().RefreshAsync(scope.ServiceProvider.GetRequiredService<ScreeningDbContext>(), cancellationToken);
                return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new FireTimer(timerId), cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                logger.LogDebug("Timer {TimerId} raced a command; retrying ({Attempt}).", timerId, attempt);
            }
        }
    }

    /// <summary>
    /// Fires every pending timer of one second (the job scheduled for that slot). Run early, by a clock that
    /// lags the host's, it schedules itself again for what remains; run twice, the second run finds the rows
    /// fired.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> FireSlotAsync(DateTime slot, CancellationToken cancellationToken)
    {
        var end = DateTime.SpecifyKind(slot, DateTimeKind.Utc);
        var start = end.AddSeconds(-1);
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            due = await scope.ServiceProvider.GetRequiredService<ScreeningDbContext>().Timers.AsNoTracking()
                .Where(t => t.State == TimerStates.Pending && t.DueAt > start && t.DueAt <= end)
                .OrderBy(t => t.DueAt)
                .Select(t => t.Id)
                .ToListAsync(cancellationToken);
        }

        var fired = 0;
        var notDue = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                switch (await FireAsync(id, ct))
                {
                    case FireTimerResult.Fired:
                        Interlocked.Increment(ref fired);
                        break;
                    case FireTimerResult.NotDue:
                        Interlocked.Increment(ref notDue);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One timer's failure does not hold back the others of its second; the job fails after them, so
                // Hangfire runs it again, and the rows fired by then are skipped.
                logger.LogWarning(ex, "Timer {TimerId} of slot {Slot:O} failed.", id, end);
                failures.Enqueue(ex);
            }
        });

        if (!failures.IsEmpty)
        {
            throw new AggregateException($"{failures.Count} timer(s) of slot {end:O} failed; {fired} fired.", failures);
        }

        if (notDue > 0)
        {
            await using var scope = scopes.CreateAsyncScope();
            if (scope.ServiceProvider.GetService<IBackgroundJobClient>() is { } client)
            {
                slots.Schedule(client, end);
            }
        }

        return fired;
    }

    /// <summary>
    /// Fires every due timer whose job was lost (a crash between commit and scheduling, a deleted job), oldest
    /// first. Runs every minute; also what moves simulated time.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var fired = 0;
        var failed = new HashSet<Guid>();
        while (!cancellationToken.IsCancellationRequested)
        {
            List<Guid> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
                await scope.ServiceProvider.GetRequiredService<Admin.SimulatedClockSync>().RefreshAsync(db, cancellationToken);
                var now = time.GetUtcNow().UtcDateTime;
                due = await db.Timers.AsNoTracking()
                    .Where(t => t.State == TimerStates.Pending && t.DueAt <= now)
                    .OrderBy(t => t.DueAt)
                    .Select(t => t.Id)
                    .Take(200 + failed.Count)
                    .ToListAsync(cancellationToken);
            }

            due.RemoveAll(failed.Contains);
            if (due.Count == 0)
            {
                break;
            }

            var progress = 0;
            foreach (var id in due)
            {
                try
                {
                    var result = await FireAsync(id, cancellationToken);
                    progress += result == FireTimerResult.NotDue ? 0 : 1;
                    fired += result == FireTimerResult.Fired ? 1 : 0;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Left pending for the next sweep; the timers behind it are not held back.
                    logger.LogWarning(ex, "Timer {TimerId} failed in the sweep.", id);
                    failed.Add(id);
                }
            }

            if (progress == 0)
            {
                break;
            }
        }

        if (fired > 0)
        {
            logger.LogInformation("Sweep fired {Count} due timer(s).", fired);
        }

        return fired;
    }
}
