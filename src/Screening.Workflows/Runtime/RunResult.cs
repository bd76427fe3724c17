using System.Text.Json.Nodes;

namespace Screening.Workflows.Runtime;

/// <summary>What a call of the runner did.</summary>
public enum ResumeStatus
{
    /// <summary>The instance moved on.</summary>
    Resumed,

    /// <summary>The bookmark was already resumed or cancelled: nothing was done (a safe repeat).</summary>
    AlreadyResumed,

    /// <summary>No such bookmark, incident or event handler.</summary>
    NotFound,

    /// <summary>A timer that is not due yet: nothing was done.</summary>
    NotDue,

    /// <summary>Refused (see <see cref="Refusal"/>): nothing was done.</summary>
    Rejected,
}

/// <summary>Why a call was refused, so the host maps each to its own answer without reading messages.</summary>
public enum Refusal
{
    /// <summary>Not refused.</summary>
    None,

    /// <summary>The input is wrong (an outcome the task does not have, an empty answer, a bad period).</summary>
    InvalidInput,

    /// <summary>The actor acted earlier on the case and the step excludes them (four eyes).</summary>
    FourEyes,

    /// <summary>The step or the instance does not allow this now (a finished workflow, a step that sends no requests).</summary>
    NotAllowed,
}

/// <summary>
/// The result of one runner call: its status, and what happened — the effects (tasks, requests, timers,
/// clocks, notifications, decisions, notices) and the journal entries the call wrote or completed, in order.
/// Nothing was loaded or saved: the host applies the effects in the transaction of its command.
/// </summary>
public sealed record RunResult
{
    /// <summary>What happened.</summary>
    public required ResumeStatus Status { get; init; }

    /// <summary>Why, for anything but <see cref="ResumeStatus.Resumed"/>.</summary>
    public string? Message { get; init; }

    /// <summary>Why it was refused, for <see cref="ResumeStatus.Rejected"/>.</summary>
    public Refusal Refusal { get; init; }

    /// <summary>The input field a refusal is about (<c>outcome</c>, <c>comment</c>, <c>conditions</c>), when there is one.</summary>
    public string? Field { get; init; }

    /// <summary>A bookmark the call created (the id of a new request for information).</summary>
    public string? BookmarkId { get; init; }

    /// <summary>The instance (the same object the call was given, or the new one).</summary>
    public required WorkflowInstance Instance { get; init; }

    /// <summary>Effects in the order they happened; empty unless the instance moved on.</summary>
    public IReadOnlyList<WorkflowEffect> Effects { get; init; } = [];

    /// <summary>Journal entries this call added or completed (the step trace of the command).</summary>
    public IReadOnlyList<JournalEntry> Trace { get; init; } = [];

    /// <summary>True when the instance moved on.</summary>
    public bool Succeeded => Status == ResumeStatus.Resumed;

    internal static RunResult Refused(WorkflowInstance instance, Refusal refusal, string message, string? field = null) =>
        new() { Status = ResumeStatus.Rejected, Refusal = refusal, Message = message, Instance = instance, Field = field };

    internal static RunResult Nothing(WorkflowInstance instance, ResumeStatus status, string message) =>
        new() { Status = status, Message = message, Instance = instance };
}

/// <summary>What a person (or the system) resumes a bookmark with.</summary>
/// <param name="Actor">Who acts: a user id, or <c>system</c>.</param>
/// <param name="Outcome">For a task: one of its outcomes. Ignored for requests.</param>
/// <param name="Comment">A comment (for a request: the answer).</param>
/// <param name="Data">Extra data kept with the result (for example conditions).</param>
/// <param name="EffectiveOn">The day the act the outcome records took effect, when earlier than today.</param>
public sealed record ResumeInput(string Actor, string? Outcome = null, string? Comment = null, JsonNode? Data = null, DateOnly? EffectiveOn = null);
