using System.Collections.Concurrent;
using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;

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

/// <summary>Compiled definitions held in memory.</summary>
public sealed class InMemoryDefinitionProvider : IDefinitionProvider
{
    private readonly ConcurrentDictionary<(string, int), CompiledDefinition> _definitions = new();

    /// <summary>Adds a compiled definition.</summary>
    public void Add(CompiledDefinition definition) => _definitions[(definition.Definition.Key, definition.Definition.Version)] = definition;

    /// <inheritdoc />
    public CompiledDefinition? Find(string key, int version) => _definitions.TryGetValue((key, version), out var d) ? d : null;
}

/// <summary>Instances held in memory (serialised, so a saved instance is a copy, as in a database).</summary>
public sealed class InMemoryInstanceStore : IWorkflowInstanceStore
{
    private readonly ConcurrentDictionary<string, string> _instances = new();

    /// <inheritdoc />
    public Task<WorkflowInstance?> FindAsync(string instanceId, CancellationToken cancellationToken) =>
        Task.FromResult(_instances.TryGetValue(instanceId, out var json) ? WorkflowInstanceSerializer.Deserialize(json) : null);

    /// <inheritdoc />
    public Task SaveAsync(WorkflowInstance instance, CancellationToken cancellationToken)
    {
        _instances[instance.Id] = WorkflowInstanceSerializer.Serialize(instance);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Records what the interpreter opened, closed, scheduled and sent: for tests, and for a dry run of a
/// definition that drives an instance with a fake clock.
/// </summary>
public sealed class RecordingSinks : ITaskAssignment, IApplicantRequests, ITimerScheduler, INotificationOutbox
{
    /// <summary>Open tasks by bookmark id.</summary>
    public Dictionary<string, Bookmark> OpenTasks { get; } = [];

    /// <summary>Closed tasks with how they closed.</summary>
    public List<(Bookmark Task, TaskClosure Closure)> ClosedTasks { get; } = [];

    /// <summary>Escalated tasks.</summary>
    public List<Bookmark> EscalatedTasks { get; } = [];

    /// <summary>Open requests by bookmark id.</summary>
    public Dictionary<string, Bookmark> OpenRequests { get; } = [];

    /// <summary>Closed requests and why.</summary>
    public List<(Bookmark Request, string Reason)> ClosedRequests { get; } = [];

    /// <summary>Scheduled timers by bookmark id.</summary>
    public Dictionary<string, (string InstanceId, Bookmark Timer)> Timers { get; } = [];

    /// <summary>Every notification.</summary>
    public List<Notification> Outbox { get; } = [];

    void ITaskAssignment.Opened(WorkflowInstance instance, Bookmark task) => OpenTasks[task.Id] = task;

    void ITaskAssignment.Closed(WorkflowInstance instance, Bookmark task, TaskClosure closure)
    {
        OpenTasks.Remove(task.Id);
        ClosedTasks.Add((task, closure));
    }

    void ITaskAssignment.Escalated(WorkflowInstance instance, Bookmark task) => EscalatedTasks.Add(task);

    void IApplicantRequests.Opened(WorkflowInstance instance, Bookmark request) => OpenRequests[request.Id] = request;

    void IApplicantRequests.Closed(WorkflowInstance instance, Bookmark request, string reason)
    {
        OpenRequests.Remove(request.Id);
        ClosedRequests.Add((request, reason));
    }

    void ITimerScheduler.Schedule(WorkflowInstance instance, Bookmark timer) => Timers[timer.Id] = (instance.Id, timer);

    void ITimerScheduler.Cancel(WorkflowInstance instance, Bookmark timer) => Timers.Remove(timer.Id);

    void INotificationOutbox.Enqueue(WorkflowInstance instance, Notification notification) => Outbox.Add(notification);

    /// <summary>Creates services that report to these sinks.</summary>
    public WorkflowServices Services(TimeProvider time, ICalendarProvider calendars) => new()
    {
        Time = time,
        Calendars = calendars,
        Tasks = this,
        Requests = this,
        Timers = this,
        Outbox = this,
    };
}
