using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Runtime;

/// <summary>Finds calendars by code.</summary>
public interface ICalendarProvider
{
    /// <summary>The calendar, or null when the code is unknown.</summary>
    BusinessCalendar? Find(string code);
}

/// <summary>
/// A message to deliver. A definition's notification step gives its audience and texts; a message the engine
/// raises by itself (an overdue request, an expired clock) has a <see cref="Kind"/> and data instead, and the
/// host words it and chooses its audience when <see cref="Audience"/> is null.
/// </summary>
/// <param name="Audience">A role the definition names, or null for the host's audience of <see cref="Kind"/>.</param>
/// <param name="Jurisdiction">For roles, whose officials; null for everyone of the role.</param>
/// <param name="Subject">Subject, or null when the host words it from <see cref="Kind"/>.</param>
/// <param name="Body">Body.</param>
/// <param name="StepId">The step that sent it.</param>
public sealed record Notification(string? Audience, string? Jurisdiction, LocalizedText? Subject, LocalizedText? Body, string StepId)
{
    /// <summary>What the engine raised it for (<see cref="NotificationKinds"/>); <c>message</c> for a definition's own.</summary>
    public string Kind { get; init; } = NotificationKinds.Message;

    /// <summary>Facts the host words the message from (a task's title, a due date).</summary>
    public Dictionary<string, string> Data { get; init; } = [];
}

/// <summary>The kinds of notification the engine raises.</summary>
public static class NotificationKinds
{
    /// <summary>A definition's notification step.</summary>
    public const string Message = "message";

    /// <summary>A task is overdue and was escalated (data: title, dueDate).</summary>
    public const string TaskOverdue = "task-overdue";

    /// <summary>A request for information passed its due date unanswered (data: question).</summary>
    public const string RequestOverdue = "request-overdue";

    /// <summary>A clock with no expiry event ran out (data: clock, days, dueDate).</summary>
    public const string ClockExpired = "clock-expired";
}

/// <summary>What the interpreter needs from its host. Build one per host (or per test).</summary>
public sealed class WorkflowServices
{
    /// <summary>Time.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Calendars.</summary>
    public required ICalendarProvider Calendars { get; init; }

    /// <summary>Steps one run may execute before it is stopped as a runaway loop.</summary>
    public int MaxStepsPerRun { get; init; } = 2_000;
}
