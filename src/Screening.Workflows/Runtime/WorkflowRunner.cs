using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Steps;

namespace Screening.Workflows.Runtime;

/// <summary>
/// The interpreter's entry points. Every call loads nothing and saves nothing: it changes the instance it is
/// given, runs every ready branch until all are blocked on a bookmark or finished, and returns what happened
/// (<see cref="RunResult"/>) for the host to apply in the transaction of its command. What a step does is its
/// step type's business (<see cref="StepRegistry"/>); the runner only finds the step and schedules.
/// </summary>
public sealed class WorkflowRunner(WorkflowServices services)
{
    /// <summary>The actor name used for what the engine does by itself (timeouts, deemed approvals).</summary>
    public const string SystemActor = "system";

    private WorkflowServices Services { get; } = services;

    /// <summary>Creates and runs a new instance until it blocks.</summary>
    public RunResult Start(CompiledDefinition definition, string instanceId, JsonObject? input = null, string? actor = null)
    {
        if (!definition.IsValid)
        {
            throw new InvalidOperationException($"Definition '{definition.Definition.Key}' v{definition.Definition.Version} has {definition.Problems.Count} problem(s) and cannot run.");
        }

        var now = Services.Time.GetUtcNow();
        var variables = (JsonObject)definition.Definition.Variables.DeepClone();
        foreach (var (name, value) in input ?? [])
        {
            variables[name] = value?.DeepClone();
        }

        var instance = new WorkflowInstance
        {
            Id = instanceId,
            DefinitionKey = definition.Definition.Key,
            DefinitionVersion = definition.Definition.Version,
            Status = WorkflowStatus.Running,
            Variables = variables,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var run = new Execution(Services, definition, instance, actor);
        run.AddToken(definition.Definition.Start, []);
        return run.Finish();
    }

    /// <summary>
    /// Resumes a task (completing it with an outcome) or a request for information (answering it).
    /// A second resume of the same bookmark is a reported no-op.
    /// </summary>
    public RunResult Resume(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId, ResumeInput input)
    {
        if (Closed(instance, bookmarkId) is { } closed)
        {
            return closed;
        }

        var bookmark = instance.FindBookmark(bookmarkId)!;
        if (bookmark.IsTimer)
        {
            return RunResult.Refused(instance, Refusal.NotAllowed, "A timer fires by itself; it cannot be resumed by a person.");
        }

        var run = new Execution(Services, definition, instance, input.Actor, effectiveOn: input.EffectiveOn);
        var context = new StepContext(run, definition.Step(bookmark.StepId), null, null).For(bookmark);
        return run.Guard(context.Token, context.Entry, () => definition.StepType(bookmark.StepId).Resume(context, bookmark, input));
    }

    /// <summary>Fires a timer bookmark if it is due. Safe to call twice, early or late.</summary>
    public RunResult FireTimer(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId)
    {
        if (Closed(instance, bookmarkId) is { } closed)
        {
            return closed;
        }

        var timer = instance.FindBookmark(bookmarkId)!;
        if (!timer.IsTimer)
        {
            return RunResult.Refused(instance, Refusal.NotAllowed, "That bookmark is not a timer.");
        }

        if (timer.DueAt > Services.Time.GetUtcNow())
        {
            return RunResult.Nothing(instance, ResumeStatus.NotDue, $"The timer is due at {timer.DueAt:O}.");
        }

        // A timer that fires late (after an outage) takes effect at its due instant, as if on time:
        // a deemed approval is dated when the period ended, a clock started by a timeout starts that day.
        var run = new Execution(Services, definition, instance, SystemActor, timer.DueAt);
        if (timer.Kind == BookmarkKind.ClockExpiry)
        {
            run.ExpireClock(timer);
            return run.Finish();
        }

        var context = new StepContext(run, definition.Step(timer.StepId), null, null);
        return run.Guard(null, null, () => definition.StepType(timer.StepId).Fire(context, timer));
    }

    /// <summary>The timer bookmarks due at or before now, soonest first (what a sweep or simulated clock fires).</summary>
    public IReadOnlyList<Bookmark> DueTimers(WorkflowInstance instance)
    {
        var now = Services.Time.GetUtcNow();
        return [.. instance.Bookmarks.Where(b => b.IsTimer && b.DueAt <= now).OrderBy(b => b.DueAt)];
    }

    /// <summary>
    /// Sends a request for information to the applicant from an open task. Where the task's step says so,
    /// the named clock stops until the request is answered.
    /// </summary>
    public RunResult RequestInformation(CompiledDefinition definition, WorkflowInstance instance, string taskBookmarkId, string question, int dueInDays, string actor)
    {
        if (instance.FindBookmark(taskBookmarkId) is not { Kind: BookmarkKind.Task } task)
        {
            return RunResult.Nothing(instance, ResumeStatus.NotFound, "No open task with that id.");
        }

        var run = new Execution(Services, definition, instance, actor);
        var context = new StepContext(run, definition.Step(task.StepId), instance.Tokens.FirstOrDefault(t => t.Id == task.TokenId), null);
        var sent = HumanTaskStep.SendRequest(context, task, question, dueInDays);
        return sent.Succeeded ? run.Finish(sent.BookmarkId) : sent;
    }

    /// <summary>
    /// Raises a definition-wide event (for example a withdrawal): every branch, task, request and timer
    /// is cancelled and execution continues at the event's step.
    /// </summary>
    public RunResult RaiseEvent(CompiledDefinition definition, WorkflowInstance instance, string eventName, string actor)
    {
        if (instance.Status == WorkflowStatus.Finished)
        {
            return RunResult.Refused(instance, Refusal.NotAllowed, "The workflow has already finished.");
        }

        var route = definition.Definition.Events.FirstOrDefault(e => e.Name == eventName);
        if (route is null)
        {
            return RunResult.Nothing(instance, ResumeStatus.NotFound, $"The workflow does not handle the event '{eventName}'.");
        }

        var run = new Execution(Services, definition, instance, actor);
        run.Interrupt(route, $"event '{eventName}'");
        return run.Finish();
    }

    /// <summary>
    /// Counts the running clocks of a calendar again after the calendar changed (a holiday added or removed):
    /// a clock whose last day moved gets its expiry rescheduled, and one whose last day is now past expires at once.
    /// Reported as <see cref="ResumeStatus.AlreadyResumed"/> when no clock moved (nothing to record).
    /// </summary>
    public RunResult RecountClocks(CompiledDefinition definition, WorkflowInstance instance, string calendarCode)
    {
        var run = new Execution(Services, definition, instance, SystemActor);
        return run.RecountClocks(calendarCode) ? run.Finish() : RunResult.Nothing(instance, ResumeStatus.AlreadyResumed, "No clock's last day moved.");
    }

    /// <summary>Retries the step of an open incident.</summary>
    public RunResult Retry(CompiledDefinition definition, WorkflowInstance instance, string incidentId, string? actor = null)
    {
        var incident = instance.Incidents.FirstOrDefault(i => i.Id == incidentId);
        if (incident is null)
        {
            return RunResult.Nothing(instance, ResumeStatus.NotFound, "No such incident.");
        }

        if (incident.ResolvedAt is not null)
        {
            return RunResult.Nothing(instance, ResumeStatus.AlreadyResumed, "The incident was already retried.");
        }

        var run = new Execution(Services, definition, instance, actor);
        incident.ResolvedAt = run.Now;
        if (instance.Tokens.FirstOrDefault(t => t.Id == incident.TokenId && t.State == TokenState.Faulted) is { } token)
        {
            token.State = TokenState.Ready;
        }

        return run.Finish();
    }

    private static RunResult? Closed(WorkflowInstance instance, string bookmarkId)
    {
        if (instance.FindBookmark(bookmarkId) is not null)
        {
            return null;
        }

        return instance.ClosedBookmarks.Contains(bookmarkId)
            ? RunResult.Nothing(instance, ResumeStatus.AlreadyResumed, "That was already done; nothing changed.")
            : RunResult.Nothing(instance, ResumeStatus.NotFound, "The workflow is not waiting for that.");
    }
}
