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
    public required string Jurisdictions { get; set; }

    public required string Status { get; set; }

    public string? Stage { get; set; }

    public string? RiskLevel { get; set; }

    public required string FilingJson { get; init; }

    public required string InvestorName { get; init; }

    public required string TargetName { get; init; }

    public string? IdempotencyKey { get; init; }

    public required DateTime SubmittedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> JurisdictionList => Jurisdictions.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>A workflow instance, stored whole as JSON and guarded by a version for optimistic concurrency.</summary>
public sealed class WorkflowInstanceRecord
{
    public required Guid Id { get; init; }

    public required string DefinitionKey { get; init; }

    public required int DefinitionVersion { get; init; }

    public required string Status { get; set; }

    public required string StateJson { get; set; }

    public long Version { get; set; }

    public DateTime UpdatedAt { get; set; }
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

    public required string Role { get; set; }

    public required string Jurisdiction { get; init; }

    /// <summary>Outcomes, JSON array.</summary>
    public required string OutcomesJson { get; init; }

    /// <summary>Officials excluded by four eyes, JSON array.</summary>
    public string ExcludedActorsJson { get; set; } = "[]";

    public DateTime? DueAt { get; init; }

    /// <summary>The due instant, or the end of time for tasks without one: what queues sort on, so an index serves them.</summary>
    public DateTime QueueOrder { get; init; }

    public DateTime? FollowUpAt { get; init; }

    public bool AllowsInformationRequests { get; init; }

    public required string Status { get; set; }

    public string? Assignee { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ClaimedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? Outcome { get; set; }

    public string? Comment { get; set; }

    public string? CompletedBy { get; set; }

    public bool Escalated { get; set; }

    public string? RiskLevel { get; set; }

    public long Version { get; set; }
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

    public required string Status { get; set; }

    public string? Answer { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ClosedAt { get; set; }
}

/// <summary>A timer: the truth about a deadline. One scheduled job per row fires it; a sweep fires rows whose job was lost.</summary>
public sealed class TimerRecord
{
    public required Guid Id { get; init; }

    public required Guid InstanceId { get; init; }

    public required string Kind { get; init; }

    public required DateTime DueAt { get; init; }

    public required string State { get; set; }

    public string? JobId { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime? FiredAt { get; set; }
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

    public List<HolidayRecord> Holidays { get; init; } = [];
}

/// <summary>A holiday of a calendar.</summary>
public sealed class HolidayRecord
{
    public required string CalendarCode { get; init; }

    public required DateOnly Date { get; init; }
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

    public DateTime CreatedAt { get; init; }

    public DateTime? DeliveredAt { get; set; }
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

/// <summary>The simulated clock's offset from real time (training and test environments).</summary>
public sealed class SimulatedClockRecord
{
    public int Id { get; init; }

    public long OffsetTicks { get; set; }
}
