using System.Collections.Concurrent;
using Screening.Workflows.Calendars;

namespace Screening.Workflows.Runtime;

/// <summary>Calendars held in memory; by default Canada's and Mexico's computed holidays for a span of years.</summary>
public sealed class InMemoryCalendarProvider : ICalendarProvider
{
    private readonly ConcurrentDictionary<string, BusinessCalendar> _calendars = new(StringComparer.Ordinal);

    /// <summary>Creates a provider with the default CA and MX calendars for the given years.</summary>
    public static InMemoryCalendarProvider WithDefaults(int firstYear, int lastYear)
    {
        var provider = new InMemoryCalendarProvider();
        foreach (var code in HolidayDefaults.Codes)
        {
            provider.Set(HolidayDefaults.CalendarFor(code, firstYear, lastYear)!);
        }

        return provider;
    }

    /// <summary>Adds or replaces a calendar.</summary>
    public void Set(BusinessCalendar calendar) => _calendars[calendar.Code] = calendar;

    /// <inheritdoc />
    public BusinessCalendar? Find(string code) => _calendars.TryGetValue(code, out var calendar) ? calendar : null;
}

/// <summary>
/// What a series of runs opened, closed, scheduled and sent, folded from their effects: for tests, and for a
/// dry run of a definition that drives an instance with a fake clock.
/// </summary>
public sealed class EffectLog
{
    /// <summary>Open tasks by bookmark id.</summary>
    public Dictionary<string, Bookmark> OpenTasks { get; } = [];

    /// <summary>Closed tasks.</summary>
    public List<TaskClosed> ClosedTasks { get; } = [];

    /// <summary>Escalated tasks.</summary>
    public List<Bookmark> EscalatedTasks { get; } = [];

    /// <summary>Open requests by bookmark id.</summary>
    public Dictionary<string, Bookmark> OpenRequests { get; } = [];

    /// <summary>Closed requests.</summary>
    public List<RequestClosed> ClosedRequests { get; } = [];

    /// <summary>Pending timers by bookmark id.</summary>
    public Dictionary<string, Bookmark> Timers { get; } = [];

    /// <summary>Every notification.</summary>
    public List<Notification> Outbox { get; } = [];

    /// <summary>Every effect, in order.</summary>
    public List<WorkflowEffect> All { get; } = [];

    /// <summary>Folds in a run's effects and returns the run.</summary>
    public RunResult Apply(RunResult result)
    {
        foreach (var effect in result.Effects)
        {
            All.Add(effect);
            switch (effect)
            {
                case TaskOpened o: OpenTasks[o.Task.Id] = o.Task; break;
                case TaskClosed c: OpenTasks.Remove(c.Task.Id); ClosedTasks.Add(c); break;
                case TaskEscalated e: EscalatedTasks.Add(e.Task); break;
                case RequestOpened o: OpenRequests[o.Request.Id] = o.Request; break;
                case RequestClosed c: OpenRequests.Remove(c.Request.Id); ClosedRequests.Add(c); break;
                case TimerSet t: Timers[t.Timer.Id] = t.Timer; break;
                case TimerCancelled t: Timers.Remove(t.Timer.Id); break;
                case TimerFired t: Timers.Remove(t.Timer.Id); break;
                case NotificationQueued n: Outbox.Add(n.Notification); break;
            }
        }

        return result;
    }
}
