using Screening.Workflows.Calendars;

namespace Screening.Workflows.Clocks;

/// <summary>Where a clock stands.</summary>
public enum ClockState
{
    /// <summary>Days are being consumed.</summary>
    Running,

    /// <summary>Paused, for example while the applicant answers a request; no days are consumed.</summary>
    Stopped,

    /// <summary>The period ran out.</summary>
    Expired,

    /// <summary>The clock's purpose was met (a decision was taken) before it expired.</summary>
    Completed,
}

/// <summary>Whether a request for information may stop a clock.</summary>
public enum StopPolicy
{
    /// <summary>Requests stop it (a regime whose information notices stop the clock, such as the UK's).</summary>
    Always,

    /// <summary>Nothing stops it: requests have their own due dates but move no deadline (Canada).</summary>
    Never,

    /// <summary>One stop, and only within the first third of the period (Mexico's prevención, LFPA art. 17-A).</summary>
    OnceInFirstThird,
}

/// <summary>When a stopped clock counts again after the last reason is cleared.</summary>
public enum ResumeRule
{
    /// <summary>From the day after the resumption (for business days: the next business day).</summary>
    NextDay,

    /// <summary>From the first business day after the resumption, whatever the clock's unit.</summary>
    NextBusinessDay,
}

/// <summary>
/// A statutory clock: a number of days on a jurisdiction's calendar counted from a start date (day 1
/// is the day after), that can stop and resume (stopped days are not consumed) and be extended.
/// All dates are in the calendar's time zone; the caller passes "today" from its <see cref="TimeProvider"/>.
/// </summary>
public sealed class StatutoryClock
{
    /// <summary>The clock's name, for example <c>statutory</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The jurisdiction whose clock this is.</summary>
    public required string Jurisdiction { get; init; }

    /// <summary>The calendar it counts on.</summary>
    public required string Calendar { get; init; }

    /// <summary>How its days count.</summary>
    public required DayUnit Unit { get; init; }

    /// <summary>The date the clock started (day 0).</summary>
    public required DateOnly StartedOn { get; init; }

    /// <summary>The instant it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Days allowed in total, extensions included.</summary>
    public int Days { get; set; }

    /// <summary>Days consumed in earlier running segments (before the last stop).</summary>
    public int ConsumedBeforeSegment { get; set; }

    /// <summary>The date the current running segment counts from (its day 0).</summary>
    public DateOnly SegmentStart { get; set; }

    /// <summary>Current state.</summary>
    public ClockState State { get; set; }

    /// <summary>Reasons it is stopped (request ids); it resumes when the last is removed.</summary>
    public List<string> StopReasons { get; init; } = [];

    /// <summary>The step that started it.</summary>
    public string? StartedBy { get; init; }

    /// <summary>What may stop it.</summary>
    public StopPolicy StopPolicy { get; init; }

    /// <summary>How it counts again after a stop.</summary>
    public ResumeRule ResumeRule { get; init; }

    /// <summary>How many times it was stopped.</summary>
    public int StopCount { get; set; }

    /// <summary>An internal target (officials only): the days after the start by which the officials aim to act.</summary>
    public int? TargetDays { get; init; }

    /// <summary>The legal basis of the period, as the definition gives it.</summary>
    public string? Basis { get; init; }

    /// <summary>The event raised when it expires, if any.</summary>
    public string? ExpiryEvent { get; init; }

    /// <summary>The timer bookmark that fires at expiry, while running.</summary>
    public string? ExpiryBookmarkId { get; set; }

    /// <summary>The date it stopped, while stopped.</summary>
    public DateOnly? StoppedOn { get; set; }

    /// <summary>The due date it had when it stopped or completed (for display).</summary>
    public DateOnly? FrozenDueDate { get; set; }

    /// <summary>Starts a clock today.</summary>
    public static StatutoryClock Start(string name, string jurisdiction, BusinessCalendar calendar, DayUnit unit, int days, DateTimeOffset now, string? expiryEvent, string? startedBy = null) =>
        Start(new ClockStart(name, jurisdiction, unit, days) { ExpiryEvent = expiryEvent, StartedBy = startedBy }, calendar, now);

    /// <summary>Starts a clock whose day 0 is <see cref="ClockStart.From"/> (a past date taken from the case) or today.</summary>
    public static StatutoryClock Start(ClockStart start, BusinessCalendar calendar, DateTimeOffset now)
    {
        var from = start.From ?? calendar.DateOf(now);
        return new StatutoryClock
        {
            Name = start.Name,
            Jurisdiction = start.Jurisdiction,
            Calendar = calendar.Code,
            Unit = start.Unit,
            StartedOn = from,
            StartedAt = now,
            Days = start.Days,
            SegmentStart = from,
            State = ClockState.Running,
            ExpiryEvent = start.ExpiryEvent,
            StartedBy = start.StartedBy,
            StopPolicy = start.StopPolicy,
            ResumeRule = start.ResumeRule,
            TargetDays = start.TargetDays,
            Basis = start.Basis,
        };
    }

    /// <summary>The internal target date, when the clock has one.</summary>
    public DateOnly? TargetDate(BusinessCalendar calendar) => TargetDays is { } days ? calendar.AddDays(StartedOn, Math.Min(days, Days), Unit == DayUnit.Business ? DayUnit.Business : DayUnit.Calendar) : null;

    /// <summary>True when a request may stop the clock today under its policy.</summary>
    public bool MayStop(BusinessCalendar calendar, DateOnly today) => StopPolicy switch
    {
        StopPolicy.Never => false,
        StopPolicy.OnceInFirstThird => StopCount == 0 && Consumed(calendar, today) <= Days / 3,
        _ => true,
    };

    /// <summary>Days consumed up to and including <paramref name="today"/>.</summary>
    public int Consumed(BusinessCalendar calendar, DateOnly today) => State == ClockState.Running
        ? ConsumedBeforeSegment + calendar.CountDays(SegmentStart, today, CountingUnit)
        : ConsumedBeforeSegment;

    /// <summary>Days left (never below zero).</summary>
    public int RemainingDays(BusinessCalendar calendar, DateOnly today) => Math.Max(0, Days - Consumed(calendar, today));

    /// <summary>
    /// The date the period ends if the clock keeps running from now on. For a stopped clock, the date it
    /// would end if resumed today.
    /// </summary>
    public DateOnly DueDate(BusinessCalendar calendar, DateOnly today)
    {
        if (State is ClockState.Completed or ClockState.Expired && FrozenDueDate is { } frozen)
        {
            return frozen;
        }

        var from = State == ClockState.Stopped ? Max(today, StoppedOn ?? today) : SegmentStart;
        return calendar.AddDays(from, Math.Max(0, Days - ConsumedBeforeSegment), Unit);
    }

    /// <summary>Stops the clock for a reason; a second reason keeps it stopped until both are removed.</summary>
    /// <returns>True when this call stopped a running clock.</returns>
    public bool Stop(BusinessCalendar calendar, DateOnly today, string reason)
    {
        if (!StopReasons.Contains(reason) && State is ClockState.Running or ClockState.Stopped)
        {
            StopReasons.Add(reason);
        }

        if (State != ClockState.Running)
        {
            return false;
        }

        ConsumedBeforeSegment = Math.Min(Days, Consumed(calendar, today));
        StoppedOn = today;
        State = ClockState.Stopped;
        StopCount++;
        return true;
    }

    /// <summary>Removes a stop reason; resumes (from <paramref name="today"/>, or per its rule) when none is left.</summary>
    /// <returns>True when this call resumed the clock.</returns>
    public bool Resume(BusinessCalendar calendar, DateOnly today, string? reason)
    {
        if (!Resume(today, reason))
        {
            return false;
        }

        // Counting again from the first business day after the resumption: its day 0 is the day before that one.
        if (ResumeRule == ResumeRule.NextBusinessDay && Unit != DayUnit.Business)
        {
            SegmentStart = calendar.NextBusinessDayOnOrAfter(SegmentStart.AddDays(1)).AddDays(-1);
        }

        return true;
    }

    /// <summary>Removes a stop reason; resumes (from <paramref name="today"/>) when none is left.</summary>
    /// <returns>True when this call resumed the clock.</returns>
    public bool Resume(DateOnly today, string? reason)
    {
        if (reason is null)
        {
            StopReasons.Clear();
        }
        else
        {
            StopReasons.Remove(reason);
        }

        if (State != ClockState.Stopped || StopReasons.Count > 0)
        {
            return false;
        }

        // The day of the stop was already counted; counting restarts the day after the resumption.
        SegmentStart = Max(today, StoppedOn ?? today);
        StoppedOn = null;
        State = ClockState.Running;
        return true;
    }

    /// <summary>Adds days.</summary>
    public void Extend(int days) => Days += days;

    /// <summary>Marks the clock expired.</summary>
    public void Expire(BusinessCalendar calendar, DateOnly today)
    {
        FrozenDueDate = DueDate(calendar, today);
        ConsumedBeforeSegment = Days;
        State = ClockState.Expired;
    }

    /// <summary>Completes the clock (its purpose was met).</summary>
    public void Complete(BusinessCalendar calendar, DateOnly today)
    {
        if (State is ClockState.Running or ClockState.Stopped)
        {
            FrozenDueDate = DueDate(calendar, today);
            ConsumedBeforeSegment = Consumed(calendar, today);
            State = ClockState.Completed;
        }
    }

    // Rolling periods consume calendar days; only the due date rolls.
    private DayUnit CountingUnit => Unit == DayUnit.Business ? DayUnit.Business : DayUnit.Calendar;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}

/// <summary>How a clock starts.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Jurisdiction">Whose.</param>
/// <param name="Unit">How its days count.</param>
/// <param name="Days">How many.</param>
public sealed record ClockStart(string Name, string Jurisdiction, DayUnit Unit, int Days)
{
    /// <summary>Day 0 of the period, when not today (the day a complete filing or a notice was received or sent).</summary>
    public DateOnly? From { get; init; }

    /// <summary>The event raised when it runs out.</summary>
    public string? ExpiryEvent { get; init; }

    /// <summary>The step that starts it.</summary>
    public string? StartedBy { get; init; }

    /// <summary>What may stop it.</summary>
    public StopPolicy StopPolicy { get; init; }

    /// <summary>How it counts again after a stop.</summary>
    public ResumeRule ResumeRule { get; init; }

    /// <summary>An internal target in days from the start.</summary>
    public int? TargetDays { get; init; }

    /// <summary>The period's legal basis.</summary>
    public string? Basis { get; init; }
}
