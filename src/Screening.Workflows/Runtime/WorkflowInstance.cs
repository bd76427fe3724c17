using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Runtime;

/// <summary>Where an instance stands.</summary>
public enum WorkflowStatus
{
    /// <summary>Being executed right now.</summary>
    Running,

    /// <summary>Every branch is blocked on a bookmark (a task, a request, a timer).</summary>
    Suspended,

    /// <summary>A step failed; an incident waits for a retry. Other branches may still be suspended.</summary>
    Faulted,

    /// <summary>Finished at an end step.</summary>
    Finished,
}

/// <summary>
/// A running case's workflow: the pinned definition version, its variables, the branches (tokens) in
/// flight, the bookmarks they wait on, its clocks, and the journal of executed steps. Plain data,
/// serialisable as JSON, so the host stores it in one row and guards it with a concurrency token.
/// </summary>
public sealed class WorkflowInstance
{
    /// <summary>Instance id (the host's case id works well).</summary>
    public required string Id { get; init; }

    /// <summary>The definition's key.</summary>
    public required string DefinitionKey { get; init; }

    /// <summary>The definition version this instance is pinned to.</summary>
    public required int DefinitionVersion { get; init; }

    /// <summary>Status.</summary>
    public WorkflowStatus Status { get; set; }

    /// <summary>Sub-status: the stage of the most recently entered step that names one.</summary>
    public string? SubStatus { get; set; }

    /// <summary>The case status an end step finished with (<c>decided</c>, <c>withdrawn</c>, <c>closed</c>).</summary>
    public string? EndStatus { get; set; }

    /// <summary>Variables.</summary>
    public JsonObject Variables { get; set; } = [];

    /// <summary>Branches in flight.</summary>
    public List<Token> Tokens { get; init; } = [];

    /// <summary>What the instance waits for.</summary>
    public List<Bookmark> Bookmarks { get; init; } = [];

    /// <summary>Statutory clocks.</summary>
    public List<StatutoryClock> Clocks { get; init; } = [];

    /// <summary>Executed steps, in order.</summary>
    public List<JournalEntry> Journal { get; init; } = [];

    /// <summary>Failed steps.</summary>
    public List<Incident> Incidents { get; init; } = [];

    /// <summary>The recorded decision, once taken.</summary>
    public CaseDecision? Decision { get; set; }

    /// <summary>Each jurisdiction's decision, in the order they were taken (the case's <see cref="Decision"/> combines them).</summary>
    public List<CaseDecision> Decisions { get; init; } = [];

    /// <summary>Legal notices recorded on the case, in order.</summary>
    public List<LegalNotice> Notices { get; init; } = [];

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it finished.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Counter for token and journal ids.</summary>
    public int Sequence { get; set; }

    /// <summary>Ids of bookmarks that were resumed or cancelled, so a repeated resume is recognised as such.</summary>
    public List<string> ClosedBookmarks { get; init; } = [];

    /// <summary>
    /// The executed step ids in order (the trace tests assert). Entries the engine adds for events that are
    /// not steps (escalations, clock expiries, requests sent from a task) are in the journal but not here.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<string> Trace => [.. Journal.Where(j => !JournalTypes.IsEvent(j.Type)).Select(j => j.StepId)];

    /// <summary>A bookmark by id, or null.</summary>
    public Bookmark? FindBookmark(string id) => Bookmarks.FirstOrDefault(b => b.Id == id);

    /// <summary>A clock by name and jurisdiction, or null.</summary>
    public StatutoryClock? FindClock(string name, string jurisdiction) =>
        Clocks.FirstOrDefault(c => c.Name == name && c.Jurisdiction == jurisdiction);

    /// <summary>Open human tasks.</summary>
    [JsonIgnore]
    public IEnumerable<Bookmark> OpenTasks => Bookmarks.Where(b => b.Kind == BookmarkKind.Task);

    /// <summary>Open requests for information to the applicant.</summary>
    [JsonIgnore]
    public IEnumerable<Bookmark> OpenRequests => Bookmarks.Where(b => b.Kind == BookmarkKind.InformationRequest);

    internal string NextId(string prefix) => $"{prefix}{++Sequence}";
}

/// <summary>A branch of execution at a step.</summary>
public sealed class Token
{
    /// <summary>Token id.</summary>
    public required string Id { get; init; }

    /// <summary>The step it is at.</summary>
    public required string StepId { get; set; }

    /// <summary>State.</summary>
    public TokenState State { get; set; }

    /// <summary>The forks this branch descends from, innermost last, so that a join knows how many branches to wait for.</summary>
    public List<ForkFrame> Forks { get; init; } = [];
}

/// <summary>One fork a branch descends from.</summary>
/// <param name="Id">The fork's frame id (unique within the instance).</param>
/// <param name="Branches">How many branches the fork started.</param>
[JsonConverter(typeof(ForkFrameConverter))]
public sealed record ForkFrame(string Id, int Branches);

/// <summary>What a token is doing.</summary>
public enum TokenState
{
    /// <summary>Will execute its step.</summary>
    Ready,

    /// <summary>Waiting on a bookmark.</summary>
    Waiting,

    /// <summary>Arrived at a join that has not completed.</summary>
    Joining,

    /// <summary>Its step failed (see the incidents).</summary>
    Faulted,
}

/// <summary>The kinds of bookmark.</summary>
public enum BookmarkKind
{
    /// <summary>A human task.</summary>
    Task,

    /// <summary>A request for information to the applicant.</summary>
    InformationRequest,

    /// <summary>A timer step.</summary>
    Timer,

    /// <summary>The timeout of a task (silence counts as an outcome).</summary>
    TaskTimeout,

    /// <summary>The escalation of an overdue task.</summary>
    TaskEscalation,

    /// <summary>The due date of a request for information.</summary>
    RequestExpiry,

    /// <summary>The expiry of a statutory clock.</summary>
    ClockExpiry,
}

/// <summary>Something an instance waits for; the host resumes it by id.</summary>
public sealed class Bookmark
{
    /// <summary>Bookmark id (unique across instances).</summary>
    public required string Id { get; init; }

    /// <summary>Kind.</summary>
    public required BookmarkKind Kind { get; init; }

    /// <summary>The step that made it.</summary>
    public required string StepId { get; init; }

    /// <summary>The waiting token, when a branch waits on it.</summary>
    public string? TokenId { get; init; }

    /// <summary>The bookmark it belongs to (a task's timeout, a request made from a task).</summary>
    public string? ParentId { get; init; }

    /// <summary>When it was made.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When a timer bookmark fires, or when a task or request is due.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>A task: the work; null for other kinds.</summary>
    public HumanTask? Task { get; set; }

    /// <summary>A request for information; null for other kinds.</summary>
    public InformationRequest? Request { get; set; }

    /// <summary>True for kinds that fire at <see cref="DueAt"/>.</summary>
    [JsonIgnore]
    public bool IsTimer => Kind is BookmarkKind.Timer or BookmarkKind.TaskTimeout or BookmarkKind.TaskEscalation or BookmarkKind.RequestExpiry or BookmarkKind.ClockExpiry;
}

/// <summary>A human task as the host's queues show it.</summary>
public sealed class HumanTask
{
    /// <summary>Title (English).</summary>
    public required string Title { get; init; }

    /// <summary>The title in every language the definition gives.</summary>
    public LocalizedText? Titles { get; init; }

    /// <summary>Description (English).</summary>
    public string? Description { get; init; }

    /// <summary>The description in every language the definition gives.</summary>
    public LocalizedText? Descriptions { get; init; }

    /// <summary>The outcomes' labels in every language the definition gives, by outcome.</summary>
    public Dictionary<string, LocalizedText>? OutcomeLabels { get; init; }

    /// <summary>Candidate role.</summary>
    public required string Role { get; set; }

    /// <summary>Candidate jurisdiction.</summary>
    public required string Jurisdiction { get; init; }

    /// <summary>The outcomes it may be completed with.</summary>
    public required List<string> Outcomes { get; init; }

    /// <summary>Due instant.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Follow-up instant (when to look at it again).</summary>
    public DateTimeOffset? FollowUpAt { get; init; }

    /// <summary>Actors who may not complete it (four eyes).</summary>
    public List<string> ExcludedActors { get; init; } = [];

    /// <summary>True once the escalation rule fired.</summary>
    public bool Escalated { get; set; }

    /// <summary>Whether requests for information may be sent from it.</summary>
    public bool AllowsInformationRequests { get; init; }

    /// <summary>The clock whose expiry completes the task, and with which outcome.</summary>
    public ClockExpiryRule? ClosesOnExpiry { get; init; }

    /// <summary>What each outcome cannot be given without (<c>comment</c>, <c>conditions</c>).</summary>
    public Dictionary<string, List<string>>? Requires { get; init; }
}

/// <summary>A task that the end of a statutory period completes (a deemed approval, a time bar).</summary>
/// <param name="Clock">The clock's name.</param>
/// <param name="Jurisdiction">Whose clock.</param>
/// <param name="Outcome">The outcome the task completes with.</param>
public sealed record ClockExpiryRule(string Clock, string Jurisdiction, string Outcome);

/// <summary>A request for information to the applicant.</summary>
public sealed class InformationRequest
{
    /// <summary>The question.</summary>
    public required string Question { get; init; }

    /// <summary>Due instant.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Who asked (an officer, or <c>system</c>).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>Clock name it stops, if any.</summary>
    public string? StopsClock { get; init; }

    /// <summary>Whose clock of that name it stops; null for every jurisdiction's.</summary>
    public string? StopsClockOf { get; init; }

    /// <summary>How many clocks it did stop (a clock's stop policy may refuse).</summary>
    public int StoppedClocks { get; set; }
}

/// <summary>One executed step.</summary>
/// <param name="Seq">Order.</param>
/// <param name="StepId">Step id.</param>
/// <param name="Type">Step type.</param>
/// <param name="TokenId">Branch.</param>
/// <param name="At">When it ran (or, for a waiting step, when it started waiting).</param>
public sealed record JournalEntry(int Seq, string StepId, string Type, string? TokenId, DateTimeOffset At)
{
    /// <summary>The outcome it continued with, once known.</summary>
    public string? Outcome { get; set; }

    /// <summary>Who completed it (a user id, or <c>system</c>).</summary>
    public string? Actor { get; set; }

    /// <summary>When it completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>A short note (for example which rules fired, or why a timer ended a task).</summary>
    public string? Note { get; set; }
}

/// <summary>Journal entry types for what happens to a step without it running again.</summary>
public static class JournalTypes
{
    /// <summary>An overdue task was escalated.</summary>
    public const string Escalation = "escalation";

    /// <summary>A statutory clock ran out.</summary>
    public const string ClockExpiry = "clock-expiry";

    /// <summary>A request for information was sent from a task, or answered.</summary>
    public const string InformationRequest = "information-request";

    /// <summary>A clock's last day was counted again after its calendar changed.</summary>
    public const string ClockRecount = "clock-recount";

    /// <summary>True for these event types.</summary>
    public static bool IsEvent(string type) => type is Escalation or ClockExpiry or InformationRequest or ClockRecount;
}

/// <summary>A failed step, waiting for a retry.</summary>
/// <param name="Id">Incident id.</param>
/// <param name="StepId">The step.</param>
/// <param name="TokenId">The branch.</param>
/// <param name="Message">What went wrong.</param>
/// <param name="At">When.</param>
public sealed record Incident(string Id, string StepId, string TokenId, string Message, DateTimeOffset At)
{
    /// <summary>When a retry resolved it.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }
}

/// <summary>The decision on a case, or one jurisdiction's decision in a joint review.</summary>
/// <param name="Outcome">One of the definition's decision words.</param>
/// <param name="DecidedAt">When.</param>
/// <param name="DecidedBy">Who (or <c>system</c> for a deemed approval).</param>
/// <param name="Conditions">Conditions with due dates.</param>
public sealed record CaseDecision(string Outcome, DateTimeOffset DecidedAt, string? DecidedBy, IReadOnlyList<DecisionCondition> Conditions)
{
    /// <summary>Whose decision, when it is one jurisdiction's.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>Who decides in law (in the definition's words: a minister, a cabinet, a commission, the operation of law).</summary>
    public string? Authority { get; init; }

    /// <summary>The legal provision it rests on.</summary>
    public string? Basis { get; init; }
}

/// <summary>A legal notice recorded on a case (a notice sent, an order made).</summary>
/// <param name="Kind">What kind of notice, in the definition's words.</param>
/// <param name="Jurisdiction">Whose act it is.</param>
/// <param name="Basis">Its legal basis (the provision).</param>
/// <param name="EffectiveOn">The day it took effect (periods counted from it count from this day).</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="StepId">The step that recorded it.</param>
public sealed record LegalNotice(string Kind, string? Jurisdiction, string? Basis, DateOnly EffectiveOn, DateTimeOffset RecordedAt, string RecordedBy, string StepId)
{
    /// <summary>Its title in every language the definition gives.</summary>
    public LocalizedText? Title { get; init; }
}

/// <summary>A condition attached to a decision.</summary>
/// <param name="Text">What the investor must do.</param>
/// <param name="DueDate">By when.</param>
public sealed record DecisionCondition(string Text, DateOnly? DueDate);
