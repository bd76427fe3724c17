using System.Collections.Concurrent;

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

    public void Remember(DateTime slot, string jobId)
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
