using System.Collections.Concurrent;
using Hangfire;

namespace Screening.Web.Jobs;

/// <summary>
/// Timers fall due in slots of one second. One Hangfire job fires every timer of a slot, so deadlines that
/// share an instant (a calendar's end of day) cost one scheduled job, not one each. This process remembers
/// the job of each future slot it has scheduled; forgetting one (a restart, another node) only schedules a
/// second job for the slot, which finds the rows already fired.
/// </summary>
public sealed class TimerSlots(TimeProvider time)
{
    /// <summary>A slot closer than this is not trusted to a remembered job: the row may commit after it ran.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(5);

    private const int PruneAbove = 4096;

    private readonly ConcurrentDictionary<DateTime, string> _jobs = new();

    /// <summary>The end of the second a due instant falls in (an instant on a whole second is its own slot).</summary>
    public static DateTime SlotOf(DateTime dueAt)
    {
        var ticks = dueAt.Ticks;
        var remainder = ticks % TimeSpan.TicksPerSecond;
        return new DateTime(remainder == 0 ? ticks : ticks - remainder + TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }

    /// <summary>The job already scheduled for a slot far enough ahead, or null.</summary>
    public string? JobFor(DateTime slot) =>
        slot > time.GetUtcNow().UtcDateTime + Margin && _jobs.TryGetValue(slot, out var job) ? job : null;

    /// <summary>
    /// Schedules the job that fires a slot, by the host's clock (so a clock that is not the machine's still
    /// fires on time), and remembers it for the commands that follow.
    /// </summary>
    public string Schedule(IBackgroundJobClient client, DateTime slot)
    {
        var jobId = client.Schedule<TimerJobs>(j => j.FireSlotAsync(slot, CancellationToken.None), slot - time.GetUtcNow().UtcDateTime);
        Remember(slot, jobId);
        return jobId;
    }

    private void Remember(DateTime slot, string jobId)
    {
        _jobs[slot] = jobId;
        if (_jobs.Count > PruneAbove)
        {
            var now = time.GetUtcNow().UtcDateTime;
            foreach (var past in _jobs.Keys.Where(k => k <= now))
            {
                _jobs.TryRemove(past, out _);
            }
        }
    }
}
