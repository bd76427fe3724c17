using System.Text.Json;

namespace Screening.Web.Mail;

/// <summary>What an e-mail tells of; also the key of the preference that turns it off.</summary>
public static class MailEvents
{
    /// <summary>To the applicant: a request for information was sent.</summary>
    public const string InformationRequest = "information-request";

    /// <summary>To the applicant: a legal notice was given.</summary>
    public const string Notice = "notice";

    /// <summary>To the applicant: a decision was recorded.</summary>
    public const string Decision = "decision";

    /// <summary>To officials: a task was opened in their queue.</summary>
    public const string TaskAssigned = "task-assigned";

    /// <summary>To the applicant: an open request's answer is due in 5 days.</summary>
    public const string RequestDue = "request-due";

    /// <summary>To officials: a task of their queue is due in 3 days.</summary>
    public const string TaskDue = "task-due";

    /// <summary>To officials: a task of their queue is overdue.</summary>
    public const string TaskOverdue = "task-overdue";
}

/// <summary>
/// An event e-mails are made of, on its outbox row: what happened and to whom, never what anyone wrote (a comment,
/// a note, the partner's remarks): an e-mail says that something happened and links to it.
/// </summary>
public sealed record MailEvent(string Event, string Audience)
{
    /// <summary>The jurisdiction whose officials it is for (with <see cref="Audience"/> a role).</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>The task or request it is about.</summary>
    public string? ItemId { get; init; }

    /// <summary>The letter kind, for an act.</summary>
    public string? LetterKind { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MailEvent FromJson(string json) => JsonSerializer.Deserialize<MailEvent>(json, Json)
        ?? throw new InvalidOperationException("An outbox row of kind mail carries no event.");
}
