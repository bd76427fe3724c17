using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;

namespace Screening.Workflows.Runtime;

/// <summary>Statutory clocks: started, stopped, resumed, extended, completed and expired, each with its expiry timer.</summary>
internal sealed partial class Execution
{
    public IEnumerable<StatutoryClock> ClocksNamed(string name, string? jurisdiction) =>
        Instance.Clocks.Where(c => c.Name == name && (jurisdiction is null || c.Jurisdiction == jurisdiction)).ToList();

    public StatutoryClock StartClock(string name, string jurisdiction, BusinessCalendar calendar, DayUnit unit, int days, string? expiryEvent, string stepId)
    {
        foreach (var old in ClocksNamed(name, jurisdiction))
        {
            CancelExpiry(old);
            Instance.Clocks.Remove(old);
        }

        var clock = StatutoryClock.Start(name, jurisdiction, calendar, unit, days, Now, expiryEvent, stepId);
        Instance.Clocks.Add(clock);
        ScheduleExpiry(clock);
        Changed(clock, ClockChange.Started);
        return clock;
    }

    public void StopClocks(string name, string? jurisdiction, string reason)
    {
        foreach (var clock in ClocksNamed(name, jurisdiction))
        {
            if (clock.Stop(Calendar(clock.Calendar), Today(clock.Calendar), reason))
            {
                CancelExpiry(clock);
                Changed(clock, ClockChange.Stopped);
            }
        }
    }

    /// <summary>Removes a stop reason (all of them when null); a clock with none left resumes.</summary>
    public void ResumeClocks(string name, string? jurisdiction, string? reason)
    {
        foreach (var clock in ClocksNamed(name, jurisdiction))
        {
            if (clock.Resume(Today(clock.Calendar), reason))
            {
                ScheduleExpiry(clock);
                Changed(clock, ClockChange.Resumed);
            }
        }
    }

    public void ExtendClock(StatutoryClock clock, int days)
    {
        clock.Extend(days);
        if (clock.State == ClockState.Running)
        {
            ScheduleExpiry(clock);
        }

        Changed(clock, ClockChange.Extended);
    }

    public void CompleteClock(StatutoryClock clock)
    {
        CancelExpiry(clock);
        if (clock.State is ClockState.Running or ClockState.Stopped)
        {
            clock.Complete(Calendar(clock.Calendar), Today(clock.Calendar));
            Changed(clock, ClockChange.Completed);
        }
    }

    public void CompleteAllClocks()
    {
        foreach (var clock in Instance.Clocks)
        {
            CompleteClock(clock);
        }
    }

    public DateOnly DueDate(StatutoryClock clock) => clock.DueDate(Calendar(clock.Calendar), Today(clock.Calendar));

    /// <summary>A clock's expiry timer fired: the clock expires, and its expiry event (if any) interrupts the workflow.</summary>
    public void ExpireClock(Bookmark timer)
    {
        CloseBookmark(timer, fired: true);
        var clock = Instance.Clocks.First(c => c.ExpiryBookmarkId == timer.Id);
        clock.ExpiryBookmarkId = null;
        clock.Expire(Calendar(clock.Calendar), Today(clock.Calendar));
        Changed(clock, ClockChange.Expired);
        RecordEvent(timer.StepId, JournalTypes.ClockExpiry, null, "expired", WorkflowRunner.SystemActor, $"clock '{clock.Name}' ({clock.Jurisdiction}) ran out");
        if (clock.ExpiryEvent is { Length: > 0 } eventName && Definition.Definition.Events.FirstOrDefault(e => e.Name == eventName) is { } route)
        {
            Interrupt(route, $"expiry of clock '{clock.Name}'");
        }
        else
        {
            Emit(new NotificationQueued(new Notification(null, clock.Jurisdiction, null, null, timer.StepId)
            {
                Kind = NotificationKinds.ClockExpired,
                Data = new() { ["clock"] = clock.Name, ["days"] = clock.Days.ToString(System.Globalization.CultureInfo.InvariantCulture), ["dueDate"] = clock.FrozenDueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty },
            }));
        }
    }

    private void ScheduleExpiry(StatutoryClock clock)
    {
        CancelExpiry(clock);
        if (clock.State != ClockState.Running)
        {
            return;
        }

        var calendar = Calendar(clock.Calendar);
        var due = calendar.EndOf(clock.DueDate(calendar, Today(clock.Calendar)));
        clock.ExpiryBookmarkId = AddTimer(BookmarkKind.ClockExpiry, clock.StartedBy ?? clock.Name, null, null, due).Id;
    }

    private void CancelExpiry(StatutoryClock clock)
    {
        if (clock.ExpiryBookmarkId is { } id && Instance.FindBookmark(id) is { } bookmark)
        {
            CloseBookmark(bookmark);
        }

        clock.ExpiryBookmarkId = null;
    }

    private void Changed(StatutoryClock clock, ClockChange change) => Emit(new ClockChanged(clock, change, DueDate(clock)));
}
