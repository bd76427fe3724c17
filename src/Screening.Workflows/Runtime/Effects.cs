using Screening.Workflows.Clocks;

namespace Screening.Workflows.Runtime;

/// <summary>Something a run did that the host must reflect outside the instance (a queue row, a timer row, an outbox row).</summary>
public abstract record WorkflowEffect;

/// <summary>A human task was opened.</summary>
public sealed record TaskOpened(Bookmark Task) : WorkflowEffect;

/// <summary>How a task closed.</summary>
public enum TaskCloseReason
{
    /// <summary>A person completed it.</summary>
    Completed,

    /// <summary>Its timeout completed it (silence counts as an outcome).</summary>
    Timeout,

    /// <summary>The end of a statutory period it waited within completed it (a time bar, a deemed approval).</summary>
    PeriodEnded,

    /// <summary>The branch it belonged to ended (a join, an event, the end).</summary>
    Cancelled,
}

/// <summary>A human task was closed.</summary>
/// <param name="Task">The task.</param>
/// <param name="Outcome">Its outcome, or null when cancelled.</param>
/// <param name="Actor">Who (or <c>system</c>), or null.</param>
/// <param name="Reason">How.</param>
/// <param name="Comment">What the official wrote with the outcome.</param>
public sealed record TaskClosed(Bookmark Task, string? Outcome, string? Actor, TaskCloseReason Reason, string? Comment = null) : WorkflowEffect;

/// <summary>An overdue task was escalated (its role may have changed).</summary>
public sealed record TaskEscalated(Bookmark Task) : WorkflowEffect;

/// <summary>A request for information to the applicant was opened.</summary>
public sealed record RequestOpened(Bookmark Request) : WorkflowEffect;

/// <summary>How a request closed.</summary>
public enum RequestCloseReason
{
    /// <summary>The applicant answered.</summary>
    Answered,

    /// <summary>Its due date passed.</summary>
    Expired,

    /// <summary>The branch it belonged to ended.</summary>
    Cancelled,
}

/// <summary>A request for information was closed.</summary>
/// <param name="Request">The request.</param>
/// <param name="Reason">How.</param>
/// <param name="Answer">The answer, when answered.</param>
public sealed record RequestClosed(Bookmark Request, RequestCloseReason Reason, string? Answer) : WorkflowEffect;

/// <summary>A timer bookmark must fire at its due instant.</summary>
public sealed record TimerSet(Bookmark Timer) : WorkflowEffect;

/// <summary>A timer bookmark is no longer needed.</summary>
public sealed record TimerCancelled(Bookmark Timer) : WorkflowEffect;

/// <summary>A timer bookmark fired.</summary>
public sealed record TimerFired(Bookmark Timer) : WorkflowEffect;

/// <summary>What happened to a clock.</summary>
public enum ClockChange
{
    /// <summary>Started.</summary>
    Started,

    /// <summary>Stopped.</summary>
    Stopped,

    /// <summary>Resumed.</summary>
    Resumed,

    /// <summary>Extended by days.</summary>
    Extended,

    /// <summary>Completed: its purpose was met.</summary>
    Completed,

    /// <summary>Ran out.</summary>
    Expired,

    /// <summary>Counted again after its calendar changed.</summary>
    Recounted,
}

/// <summary>A statutory clock changed.</summary>
/// <param name="Clock">The clock after the change.</param>
/// <param name="Change">What changed.</param>
/// <param name="DueDate">Its due date after the change.</param>
public sealed record ClockChanged(StatutoryClock Clock, ClockChange Change, DateOnly DueDate) : WorkflowEffect;

/// <summary>A notification to deliver.</summary>
public sealed record NotificationQueued(Notification Notification) : WorkflowEffect;

/// <summary>The case decision was recorded.</summary>
public sealed record DecisionRecorded(CaseDecision Decision) : WorkflowEffect;

/// <summary>A legal notice was recorded.</summary>
public sealed record NoticeRecorded(LegalNotice Notice) : WorkflowEffect;

/// <summary>A step failed and waits for a retry.</summary>
public sealed record IncidentOpened(Incident Incident) : WorkflowEffect;
