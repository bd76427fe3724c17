using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Hangfire entry points for timers. Each takes an id, re-checks the row and is safe to run twice; a race
/// with a command on the same case is retried in a fresh scope.
/// </summary>
public sealed class TimerJobs(IServiceScopeFactory scopes, TimeProvider time, ILogger<TimerJobs> logger)
{
    private const int Attempts = 5;

    /// <summary>Fires one timer (the job scheduled for its due instant).</summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<FireTimerResult> FireAsync(Guid timerId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new FireTimer(timerId), cancellationToken);
            }
            catch (DbUpdateConcurrencyException) when (attempt < Attempts)
            {
                logger.LogDebug("Timer {TimerId} raced a command; retrying ({Attempt}).", timerId, attempt);
            }
        }
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
        while (!cancellationToken.IsCancellationRequested)
        {
            List<Guid> due;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
                var now = time.GetUtcNow().UtcDateTime;
                due = await db.Timers.AsNoTracking()
                    .Where(t => t.State == TimerStates.Pending && t.DueAt <= now)
                    .OrderBy(t => t.DueAt)
                    .Select(t => t.Id)
                    .Take(200)
                    .ToListAsync(cancellationToken);
            }

            if (due.Count == 0)
            {
                break;
            }

            var progress = 0;
            foreach (var id in due)
            {
                var result = await FireAsync(id, cancellationToken);
                progress += result == FireTimerResult.NotDue ? 0 : 1;
                fired += result == FireTimerResult.Fired ? 1 : 0;
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
