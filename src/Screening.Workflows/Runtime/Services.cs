using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Runtime;

/// <summary>Loads and saves instances (the host: one row guarded by a concurrency token).</summary>
public interface IWorkflowInstanceStore
{
    /// <summary>Loads an instance, or null.</summary>
    Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Saves an instance (insert or update).</summary>
    Task SaveAsync(WorkflowInstance instance, CancellationToken cancellationToken);
}

/// <summary>Finds published definitions by key and version.</summary>
public interface IDefinitionProvider
{
    /// <summary>The compiled definition of a version, or null.</summary>
    CompiledDefinition? Find(string key, int version);
}

/// <summary>Finds calendars by code.</summary>
public interface ICalendarProvider
{
    /// <summary>The calendar, or null when the code is unknown.</summary>
    BusinessCalendar? Find(string code);
}

/// <summary>Receives the human tasks an instance opens and closes (the host's review queues).</summary>
public interface ITaskAssignment
{
    /// <summary>A task was opened.</summary>
    void Opened(WorkflowInstance instance, Bookmark task);

    /// <summary>A task was closed: completed by an actor, by its timeout, or cancelled.</summary>
    void Closed(WorkflowInstance instance, Bookmark task, TaskClosure closure);

    /// <summary>An overdue task was escalated (its role may have changed).</summary>
    void Escalated(WorkflowInstance instance, Bookmark task);
}

/// <summary>How a task was closed.</summary>
/// <param name="Outcome">The outcome, or null when cancelled.</param>
/// <param name="Actor">Who (or <c>system</c>).</param>
/// <param name="Reason"><c>completed</c>, <c>timeout</c> or <c>cancelled</c>.</param>
public sealed record TaskClosure(string? Outcome, string? Actor, string Reason);

/// <summary>Receives requests for information to the applicant.</summary>
public interface IApplicantRequests
{
    /// <summary>A request was opened.</summary>
    void Opened(WorkflowInstance instance, Bookmark request);

    /// <summary>A request was answered, expired or cancelled.</summary>
    void Closed(WorkflowInstance instance, Bookmark request, string reason);
}

/// <summary>Schedules the timer bookmarks (the host: a timer row and one job per row).</summary>
public interface ITimerScheduler
{
    /// <summary>A timer bookmark should fire at its due instant.</summary>
    void Schedule(WorkflowInstance instance, Bookmark timer);

    /// <summary>A timer bookmark is no longer needed.</summary>
    void Cancel(WorkflowInstance instance, Bookmark timer);
}

/// <summary>Records notifications for delivery (the host: an outbox row in the same transaction).</summary>
public interface INotificationOutbox
{
    /// <summary>Adds a notification.</summary>
    void Enqueue(WorkflowInstance instance, Notification notification);
}

/// <summary>A message to deliver.</summary>
/// <param name="Audience"><c>applicant</c>, or a role.</param>
/// <param name="Jurisdiction">For roles, whose officials; null for everyone of the role.</param>
/// <param name="Subject">Subject.</param>
/// <param name="Body">Body.</param>
/// <param name="StepId">The step that sent it.</param>
public sealed record Notification(string Audience, string? Jurisdiction, string Subject, string? Body, string StepId);

/// <summary>What the interpreter talks to. Build one per command (host) or per dry run (tests).</summary>
public sealed class WorkflowServices
{
    /// <summary>Time.</summary>
    public required TimeProvider Time { get; init; }

    /// <summary>Calendars.</summary>
    public required ICalendarProvider Calendars { get; init; }

    /// <summary>Task queues.</summary>
    public ITaskAssignment Tasks { get; init; } = NullSinks.Instance;

    /// <summary>Requests to the applicant.</summary>
    public IApplicantRequests Requests { get; init; } = NullSinks.Instance;

    /// <summary>Timers.</summary>
    public ITimerScheduler Timers { get; init; } = NullSinks.Instance;

    /// <summary>Outbox.</summary>
    public INotificationOutbox Outbox { get; init; } = NullSinks.Instance;

    /// <summary>Steps one run may execute before it is stopped as a runaway loop.</summary>
    public int MaxStepsPerRun { get; init; } = 2_000;
}

/// <summary>Sinks that ignore everything (what a dry run needs when it only inspects the instance).</summary>
public sealed class NullSinks : ITaskAssignment, IApplicantRequests, ITimerScheduler, INotificationOutbox
{
    /// <summary>The shared instance.</summary>
    public static NullSinks Instance { get; } = new();

    void ITaskAssignment.Opened(WorkflowInstance instance, Bookmark task) { }

    void ITaskAssignment.Closed(WorkflowInstance instance, Bookmark task, TaskClosure closure) { }

    void ITaskAssignment.Escalated(WorkflowInstance instance, Bookmark task) { }

    void IApplicantRequests.Opened(WorkflowInstance instance, Bookmark request) { }

    void IApplicantRequests.Closed(WorkflowInstance instance, Bookmark request, string reason) { }

    void ITimerScheduler.Schedule(WorkflowInstance instance, Bookmark timer) { }

    void ITimerScheduler.Cancel(WorkflowInstance instance, Bookmark timer) { }

    void INotificationOutbox.Enqueue(WorkflowInstance instance, Notification notification) { }
}
