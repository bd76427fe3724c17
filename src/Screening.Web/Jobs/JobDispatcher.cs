using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Jobs a command needs: the job that fires each new timer row (its id stored on the row), and the new outbox
/// rows it hands to the writer, which delivers them once they committed (<see cref="OutboxDeliverer"/>). A timer
/// whose second already has a job (<see cref="TimerSlots"/>) joins it inside
/// the command's transaction; the others get one job per new slot once the command has committed. A
/// cancelled timer's job is left alone: others may share it, and it finds the row cancelled. In simulated
/// time no timer job is scheduled: the clock endpoint and the sweep fire due rows by the simulated clock.
/// </summary>
public sealed class JobDispatcher(IServiceProvider services, IOptions<ScreeningOptions> options, TimerSlots slots, ILogger<JobDispatcher> logger)
{
    private readonly List<TimerRecord> _scheduled = [];
    private readonly List<Guid> _outbox = [];

    /// <summary>A new timer row, before its command commits.</summary>
    public void TimerScheduled(TimerRecord timer)
    {
        if (options.Value.Clock.Simulated)
        {
            return;
        }

        if (slots.JobFor(TimerSlots.SlotOf(timer.DueAt)) is { } job)
        {
            timer.JobId = job;
        }
        else
        {
            _scheduled.Add(timer);
        }
    }

    public void TimerCancelled(TimerRecord timer) => _scheduled.Remove(timer);

    public void OutboxAdded(Guid id) => _outbox.Add(id);

    /// <summary>The new outbox rows, handed to the writer, which enqueues one job for its whole batch once it committed.</summary>
    public IReadOnlyList<Guid> TakeOutbox()
    {
        var outbox = _outbox.ToList();
        _outbox.Clear();
        return outbox;
    }

    /// <summary>After the commit: the jobs of the new timers' slots, and their ids on the rows.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_scheduled.Count == 0)
        {
            return;
        }

        var client = services.GetService<IBackgroundJobClient>();
        if (client is null)
        {
            Clear();
            return;
        }

        try
        {
            foreach (var slot in _scheduled.GroupBy(t => TimerSlots.SlotOf(t.DueAt)))
            {
                var jobId = slots.JobFor(slot.Key) ?? slots.Schedule(client, slot.Key);

                var ids = slot.Select(t => t.Id).ToList();
                var db = services.GetRequiredService<ScreeningDbContext>();
                await db.Timers.Where(t => ids.Contains(t.Id)).ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows are committed; the sweep fires due timers without these jobs.
            logger.LogWarning(ex, "Could not schedule jobs after a commit; the sweep will catch up.");
        }
        finally
        {
            Clear();
        }
    }

    private void Clear()
    {
        _scheduled.Clear();
        _outbox.Clear();
    }
}
