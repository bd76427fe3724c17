using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;

namespace Screening.Workflows.Runtime;

/// <summary>Statutory clocks: started, stopped, resumed, extended, completed and expired, each with its expiry timer.</summary>
internal sealed partial class Execution
{
    public IEnumerable<StatutoryClock> ClocksNamed(string name, string? jurisdiction) =>
        Instance.Clocks.Where(c => c.Name == name && (jurisdiction is null || c.Jurisdiction == jurisdiction)).ToList();

    /// <summary>Starts a clock; one of the same name and jurisdiction is replaced (a new period counted from its own date).</summary>
    public StatutoryClock StartClock(ClockStart start, BusinessCalendar calendar)
    {
        foreach (var old in ClocksNamed(start.Name, start.Jurisdiction))
        {
            CancelExpiry(old);
            Instance.Clocks.Remove(old);
        }

        var clock = StatutoryClock.Start(start, calendar, Now);
        Instance.Clocks.Add(clock);
        ScheduleExpiry(clock);
        Changed(clock, ClockChange.Started);
        return clock;
    }

    /// <summary>Stops the clocks of a name (of one jurisdiction, or all) that their stop policy lets stop; returns those stopped.</summary>
    public IReadOnlyList<StatutoryClock> StopClocks(string name, string? jurisdiction, string reason)
    {
        var stopped = new List<StatutoryClock>();
        foreach (var clock in ClocksNamed(name, jurisdiction))
        {
            var calendar = Calendar(clock.Calendar);
            var today = Today(clock.Calendar);
            if (clock.State == ClockState.Running && !clock.MayStop(calendar, today))
            {
                continue;
            }

            if (clock.Stop(calendar, today, reason))
            {
                CancelExpiry(clock);
                Changed(clock, ClockChange.Stopped);
                stopped.Add(clock);
            }
        }

        return stopped;
    }

    /// <summary>Removes a stop reason (all of them when null); a clock with none left resumes.</summary>
    public void ResumeClocks(string name, string? jurisdiction, string? reason)
    {
        foreach (var clock in ClocksNamed(name, jurisdiction))
        {
            if (clock.Resume(Calendar(clock.Calendar), Today(clock.Calendar), reason))
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

    /// <summary>Reschedules the expiry of the running clocks of a calendar whose last day moved; true when one did.</summary>
    public bool RecountClocks(string calendarCode)
    {
        var moved = false;
        foreach (var clock in Instance.Clocks.Where(c => c.Calendar == calendarCode && c.State == ClockState.Running).ToList())
        {
            var calendar = Calendar(clock.Calendar);
            var due = calendar.EndOf(clock.DueDate(calendar, Today(clock.Calendar)));
            if (clock.ExpiryBookmarkId is { } id && Instance.FindBookmark(id) is { } timer && timer.DueAt == due)
            {
                continue;
            }

            moved = true;
            var before = clock.ExpiryBookmarkId is { } old && Instance.FindBookmark(old) is { DueAt: { } was } ? calendar.DateOf(was.AddTicks(-1)) : (DateOnly?)null;
            ScheduleExpiry(clock);
            RecordEvent(clock.StartedBy ?? clock.Name, JournalTypes.ClockRecount, null, "recounted", WorkflowRunner.SystemActor,
                $"clock '{clock.Name}' ({clock.Jurisdiction}): last day {(before is { } b ? b.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "?")} moved to {DueDate(clock):yyyy-MM-dd}");
            Changed(clock, ClockChange.Recounted);
            if (due <= Now && Instance.FindBookmark(clock.ExpiryBookmarkId!) is { } expiry)
            {
                // Moved into the past: the period is over now.
                ExpireClock(expiry);
            }
        }

        return moved;
    }

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
            return;
        }

        // Without an event, the steps waiting on the case decide what the expiry means to them (a task that a
        // period's end completes); a clock no step answers for is reported to the officials.
        var answered = false;
        foreach (var bookmark in Instance.Bookmarks.Where(b => !b.IsTimer).ToList())
        {
            if (Instance.FindBookmark(bookmark.Id) is null)
            {
                continue;
            }

            var step = Definition.Step(bookmark.StepId);
            answered |= Definition.StepType(step.Id).ClockExpired(new Steps.StepContext(this, step, null, null).For(bookmark), bookmark, clock);
        }

        if (!answered)
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
