namespace Screening.Web.Persistence;

// Instants are stored as UTC DateTime so that SQLite can compare and order them in SQL.

/// <summary>A filed case: the applicant's filing and the projection of its workflow that queries read.</summary>
public sealed class CaseRecord
{
    public required Guid Id { get; init; }

    public required string Reference { get; init; }

    public required string ApplicantId { get; init; }

    public required string HostJurisdiction { get; init; }

    /// <summary>Jurisdictions taking part, comma-separated in order (host first).</summary>
    private string _jurisdictions = string.Empty;

    public required string Jurisdictions { get => _jurisdictions; init => _jurisdictions = value; }

    private string _status = string.Empty;

    public required string Status { get => _status; init => _status = value; }

    public string? Stage { get; private set; }

    public string? RiskLevel { get; private set; }

    public required string FilingJson { get; init; }

    public required string InvestorName { get; init; }

    public required string TargetName { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 (hex) of the cleaned filing sent with <see cref="IdempotencyKey"/>, so a reuse of the key with another filing is told apart from a retry.</summary>
    public string? IdempotencyHash { get; init; }

    public required DateTime SubmittedAt { get; init; }

    public DateTime UpdatedAt { get; private set; }

    public IReadOnlyList<string> JurisdictionList => Jurisdictions.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Takes in where the workflow stands after a command; returns the status it had when it changed.</summary>
    public string? Project(string status, string? stage, string? riskLevel, IEnumerable<string> jurisdictions, DateTime now)
    {
        var before = Status == status ? null : Status;
        _status = status;
        Stage = stage;
        RiskLevel = riskLevel ?? RiskLevel;
        _jurisdictions = string.Join(',', JurisdictionList.Concat(jurisdictions).Distinct());
        UpdatedAt = now;
        return before;
    }
}

/// <summary>A workflow instance, stored whole as JSON and guarded by a version for optimistic concurrency.</summary>
public sealed class WorkflowInstanceRecord
{
    public required Guid Id { get; init; }

    public required string DefinitionKey { get; init; }

    public required int DefinitionVersion { get; init; }

    private string _status = string.Empty;

    public required string Status { get => _status; init => _status = value; }

    private string _stateJson = string.Empty;

    public required string StateJson { get => _stateJson; init => _stateJson = value; }

    /// <summary>The concurrency guard: bumped by every store, so a stale copy can never win.</summary>
    public long Version { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    /// <summary>The columns <see cref="Store"/> changes, guarded by the version a command read (<see cref="RowStatements.UpdateAsync"/>).</summary>
    public static GuardedColumns Stored { get; } = new(nameof(Version), nameof(StateJson), nameof(Status), nameof(Version), nameof(UpdatedAt));

    /// <summary>Stores the instance's new state.</summary>
    public void Store(string stateJson, string status, DateTime now)
    {
        _stateJson = stateJson;
        _status = status;
        Version++;
        UpdatedAt = now;
    }

    /// <summary>
    /// The stored row as far as a command needs it to write the next state: its key and its version (the
    /// guard), without the state itself, which a command that keeps the instance in memory does not read.
    /// </summary>
    public static WorkflowInstanceRecord Header(Guid id, string definitionKey, int definitionVersion, long version) => new()
    {
        Id = id,
        DefinitionKey = definitionKey,
        DefinitionVersion = definitionVersion,
        Status = string.Empty,
        StateJson = string.Empty,
        Version = version,
    };
}

/// <summary>
/// What one command did to an instance's journal: the entries it added and the open ones it completed, as JSON, a
/// row of its own under the version the command stored. The journal is these rows in order, each entry as its last
/// row has it; a command appends one row instead of rewriting a journal that grows with the case (decision 0026).
/// </summary>
public sealed class JournalRow
{
    public required Guid Id { get; init; }

    public required Guid InstanceId { get; init; }

    /// <summary>The instance's version the command stored; not unique, so a command that lost a race fails on the instance's guard, as a conflict.</summary>
    public required long Version { get; init; }

    /// <summary>The entries, a JSON array in the instance's own JSON form.</summary>
    public required string EntriesJson { get; init; }
}

/// <summary>A human task in the review queues.</summary>
public sealed class ReviewTask
{
    public required Guid Id { get; init; }

    public required Guid CaseId { get; init; }

    public required string CaseReference { get; init; }

    public required string StepId { get; init; }

    public required string Title { get; init; }

    public string? Description { get; init; }

    private string _role = string.Empty;

    public required string Role { get => _role; init => _role = value; }

    public required string Jurisdiction { get; init; }

    /// <summary>Outcomes, JSON array.</summary>
    public required string OutcomesJson { get; init; }

    /// <summary>Officials excluded by four eyes, JSON array.</summary>
    public string ExcludedActorsJson { get; init; } = "[]";

    /// <summary>What each outcome cannot be given without (<c>comment</c>, <c>conditions</c>), JSON object.</summary>
    public string RequiresJson { get; init; } = "{}";

    /// <summary>The title, description and outcome labels in each language the definition gives, JSON (<see cref="Reviews.TaskTexts"/>).</summary>
    public string TextsJson { get; init; } = "{}";

    public DateTime? DueAt { get; init; }

    /// <summary>The due instant, or the end of time for tasks without one: what queues sort on, so an index serves them.</summary>
    public DateTime QueueOrder { get; init; }

    public DateTime? FollowUpAt { get; init; }

    public bool AllowsInformationRequests { get; init; }

    private string _status = string.Empty;

    public required string Status { get => _status; init => _status = value; }

    public string? Assignee { get; private set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ClaimedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public string? Outcome { get; private set; }

    public string? Comment { get; private set; }

    public string? CompletedBy { get; private set; }

    public bool Escalated { get; private set; }

    public string? RiskLevel { get; init; }

    /// <summary>The concurrency guard, bumped by every transition.</summary>
    public long Version { get; private set; }

    public bool IsOpen => Status is TaskStatuses.Open or TaskStatuses.Claimed;

    /// <summary>An official takes the open task.</summary>
    public void Claim(string user, DateTime now)
    {
        Require(TaskStatuses.Open);
        _status = TaskStatuses.Claimed;
        Assignee = user;
        ClaimedAt = now;
        Changed();
    }

    /// <summary>The holder gives the task back to the queue.</summary>
    public void Release()
    {
        Require(TaskStatuses.Claimed);
        _status = TaskStatuses.Open;
        Assignee = null;
        ClaimedAt = null;
        Changed();
    }

    /// <summary>The workflow closed the task with an outcome (by its holder, or by its timeout).</summary>
    public void Complete(string? outcome, string? actor, string? comment, DateTime now)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"Task {Id} is {Status}; it cannot be completed.");
        }

        _status = TaskStatuses.Completed;
        Outcome = outcome;
        CompletedBy = actor;
        Comment = comment ?? Comment;
        CompletedAt = now;
        Changed();
    }

    /// <summary>The workflow no longer waits for the task.</summary>
    public void Cancel(string? actor, DateTime now)
    {
        if (!IsOpen)
        {
            return;
        }

        _status = TaskStatuses.Cancelled;
        CompletedBy = actor;
        CompletedAt = now;
        Changed();
    }

    /// <summary>The overdue task was escalated, and may now be for another role.</summary>
    public void Escalate(string role)
    {
        Escalated = true;
        _role = role;
        Changed();
    }

    // The concurrency guard moves with every transition, here only.
    private void Changed() => Version++;

    private void Require(string status)
    {
        if (Status != status)
        {
            throw new InvalidOperationException($"Task {Id} is {Status}, not {status}.");
        }
    }
}

/// <summary>Task statuses.</summary>
public static class TaskStatuses
{
    public const string Open = "open";
    public const string Claimed = "claimed";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}

/// <summary>A request for information to the applicant.</summary>
public sealed class InformationRequestRecord
{
    public required Guid Id { get; init; }

    public required Guid CaseId { get; init; }

    public Guid? TaskId { get; init; }

    public required string Question { get; init; }

    public DateTime? DueAt { get; init; }

    public required string RequestedBy { get; init; }

    private string _status = string.Empty;

    public required string Status { get => _status; init => _status = value; }

    public string? Answer { get; private set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ClosedAt { get; private set; }

    /// <summary>The request was answered, expired or cancelled.</summary>
    public void Close(string status, string? answer, DateTime now)
    {
        _status = status;
        Answer = answer ?? Answer;
        ClosedAt = now;
    }
}

/// <summary>Request statuses.</summary>
public static class RequestStatuses
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A timer: the truth about a deadline. A job per second that has deadlines fires the rows due in it
/// (decision 0003); a sweep fires rows whose job was lost.
/// </summary>
public sealed class TimerRecord
{
    public required Guid Id { get; init; }

    public required Guid InstanceId { get; init; }

    public required string Kind { get; init; }

    public required DateTime DueAt { get; init; }

    private string _state = string.Empty;

    public required string State { get => _state; init => _state = value; }

    public string? JobId { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? FiredAt { get; private set; }

    public bool IsPending => State == TimerStates.Pending;

    /// <summary>The workflow took the timer: it fired at its due instant.</summary>
    public void Fire(DateTime now)
    {
        if (IsPending)
        {
            _state = TimerStates.Fired;
            FiredAt = now;
        }
    }

    /// <summary>The workflow no longer waits for it (or never did: a stale row).</summary>
    public void Cancel()
    {
        if (IsPending)
        {
            _state = TimerStates.Cancelled;
        }
    }
}

/// <summary>Timer states.</summary>
public static class TimerStates
{
    public const string Pending = "pending";
    public const string Fired = "fired";
    public const string Cancelled = "cancelled";
}

/// <summary>A version of a workflow definition (draft or published).</summary>
public sealed class DefinitionRecord
{
    public required string Key { get; init; }

    public required int Version { get; init; }

    public required string Name { get; set; }

    public required string Json { get; set; }

    public required string ContentHash { get; set; }

    public required bool IsPublished { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? PublishedAt { get; set; }

    public string? PublishedBy { get; set; }
}

/// <summary>A working calendar.</summary>
public sealed class CalendarRecord
{
    public required string Code { get; init; }

    public required string Name { get; set; }

    /// <summary>Weekend days, comma-separated, 0 = Sunday … 6 = Saturday.</summary>
    public required string Weekend { get; set; }

    public required string TimeZone { get; set; }

    /// <summary>Weekdays that are legal holidays every week (time limits roll past them), comma-separated; null: the weekend.</summary>
    public string? LegalWeekdays { get; set; }

    public List<HolidayRecord> Holidays { get; init; } = [];
}

/// <summary>A holiday of a calendar: a non-business day, a legal holiday, or both, with its name and source.</summary>
public sealed class HolidayRecord
{
    public required string CalendarCode { get; init; }

    public required DateOnly Date { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The statute, or the decree that declared the day.</summary>
    public string? Source { get; init; }

    /// <summary>A <see cref="Screening.Workflows.Calendars.HolidayKind"/>: 1 non-business, 2 legal, 3 both.</summary>
    public int Kind { get; init; } = 3;
}

/// <summary>A notification the engine asked for, delivered by a job.</summary>
public sealed class OutboxMessage
{
    public required Guid Id { get; init; }

    public Guid? CaseId { get; init; }

    public required string Audience { get; init; }

    public string? Jurisdiction { get; init; }

    public required string Subject { get; init; }

    public string? Body { get; init; }

    /// <summary>What the row asks for (<see cref="OutboxKinds"/>): an in-app notification, letters, or e-mail.</summary>
    public string Kind { get; init; } = OutboxKinds.Notification;

    /// <summary>The act or event a letter or an e-mail is made from, JSON; null for a notification.</summary>
    public string? DataJson { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? DeliveredAt { get; set; }
}

/// <summary>What an outbox row is delivered as.</summary>
public static class OutboxKinds
{
    public const string Notification = "notification";
    public const string Letter = "letter";
    public const string Mail = "mail";
}

/// <summary>A letter made from a legal act of a case (a decision, a notice, a request): a PDF document of the case in one language.</summary>
public sealed class LetterRecord
{
    public required Guid Id { get; init; }

    public required Guid CaseId { get; init; }

    /// <summary>The act the letter is made from, unique within its case: a letter job run twice finds its letter made.</summary>
    public required string ActId { get; init; }

    public required string Kind { get; init; }

    public required string Language { get; init; }

    public required Guid DocumentId { get; init; }

    public required DateTime CreatedAt { get; init; }
}

/// <summary>An administrator's version of a letter template; without one, the template shipped with the host is used.</summary>
public sealed class LetterTemplateRecord
{
    public required string Kind { get; init; }

    public required string Language { get; init; }

    public required string Text { get; set; }

    public required string UpdatedBy { get; set; }

    public required DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One e-mail to one person: made from an outbox row or by the reminder sweep, sent once. <see cref="Key"/> is
/// unique (the event and the recipient, or the item and the threshold of a reminder), so nothing is queued twice;
/// <see cref="SentAt"/> is set once it was handed over, so nothing is sent twice.
/// </summary>
public sealed class MailRecord
{
    public required Guid Id { get; init; }

    public required string Key { get; init; }

    public required string UserId { get; init; }

    public required string To { get; init; }

    public required string Language { get; init; }

    /// <summary>What it tells of (<see cref="Mail.MailEvents"/>).</summary>
    public required string Event { get; init; }

    public Guid? CaseId { get; init; }

    public required string Subject { get; init; }

    public required string Body { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? SentAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>When a failed send is tried again (back-off).</summary>
    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }
}

/// <summary>An in-app notification for one user.</summary>
public sealed class UserNotification
{
    public required Guid Id { get; init; }

    public required string UserId { get; init; }

    public required Guid OutboxId { get; init; }

    public Guid? CaseId { get; init; }

    public required string Subject { get; init; }

    public string? Body { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ReadAt { get; set; }
}

/// <summary>An entry of the append-only, hash-chained audit trail.</summary>
public sealed class AuditEntry
{
    public long Seq { get; set; }

    public required DateTime At { get; init; }

    public required string Actor { get; init; }

    public required string Action { get; init; }

    public Guid? CaseId { get; init; }

    public required string DataJson { get; init; }

    public string PreviousHash { get; set; } = string.Empty;

    public string Hash { get; set; } = string.Empty;
}

/// <summary>An official's note on a case: shared with both governments, or restricted to the author's jurisdiction.</summary>
public sealed class CaseNote
{
    public required Guid Id { get; init; }

    public required Guid CaseId { get; init; }

    public required string AuthorId { get; init; }

    public required string Jurisdiction { get; init; }

    public required bool Restricted { get; init; }

    public required string Text { get; init; }

    public required DateTime At { get; init; }
}

/// <summary>
/// A document of a case: its content is in the content store under <see cref="Sha256"/>. Who may read it is
/// its <see cref="Classification"/> (<see cref="DocumentClassifications"/>); a jurisdiction document belongs to
/// <see cref="Jurisdiction"/>. An applicant's document starts with the filing and may be attached to one answer.
/// </summary>
public sealed class DocumentRecord
{
    public required Guid Id { get; init; }

    public required Guid CaseId { get; init; }

    /// <summary>The display name: the uploader's file name, cleaned of anything but plain text.</summary>
    public required string Name { get; init; }

    public required string ContentType { get; init; }

    public required long Size { get; init; }

    /// <summary>SHA-256 of the content, lower-case hex: its name in the content store.</summary>
    public required string Sha256 { get; init; }

    public required string Classification { get; init; }

    /// <summary>The uploader's jurisdiction (null for an applicant's upload).</summary>
    public string? Jurisdiction { get; init; }

    public required string UploadedBy { get; init; }

    public required DateTime UploadedAt { get; init; }

    private string _purpose = string.Empty;

    /// <summary>What it was attached to (<see cref="DocumentPurposes"/>).</summary>
    public required string Purpose { get => _purpose; init => _purpose = value; }

    /// <summary>The request for information whose answer refers to it.</summary>
    public Guid? RequestId { get; private set; }

    /// <summary>An answer refers to the document: only an applicant's filing document, and only one answer.</summary>
    public void AttachToAnswer(Guid requestId)
    {
        if (Purpose != DocumentPurposes.Filing || RequestId is not null)
        {
            throw new InvalidOperationException($"Document {Id} is attached to {Purpose}; it cannot be attached to an answer.");
        }

        _purpose = DocumentPurposes.Answer;
        RequestId = requestId;
    }
}

/// <summary>Who may read a document.</summary>
public static class DocumentClassifications
{
    /// <summary>The applicant and both governments.</summary>
    public const string Applicant = "applicant";

    /// <summary>The governments of the case, never the applicant.</summary>
    public const string Government = "government";

    /// <summary>The uploader's government only.</summary>
    public const string Jurisdiction = "jurisdiction";

    public static IReadOnlyList<string> All { get; } = [Applicant, Government, Jurisdiction];
}

/// <summary>What a document was attached to.</summary>
public static class DocumentPurposes
{
    /// <summary>An applicant's document of the filing.</summary>
    public const string Filing = "filing";

    /// <summary>An applicant's document an answer to a request for information refers to.</summary>
    public const string Answer = "answer";

    /// <summary>An official's document of the case (a legal notice, an undertaking, a report).</summary>
    public const string Case = "case";

    /// <summary>A letter the host made from a decision or a legal notice (<see cref="LetterRecord"/>).</summary>
    public const string Letter = "letter";
}

/// <summary>The simulated clock's offset from real time (training and test environments).</summary>
public sealed class SimulatedClockRecord
{
    public int Id { get; init; }

    public long OffsetTicks { get; set; }
}
