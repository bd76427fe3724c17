using System.Text.Json;
using Screening.Web.Persistence;
using Screening.Workflows.Calendars;
using Screening.Workflows.Runtime;

namespace Screening.Web.Letters;

/// <summary>The kinds of letter (the HTTP contract's words).</summary>
public static class LetterKinds
{
    public const string Decision = "decision";
    public const string Notice = "notice";
    public const string Extension = "extension";
    public const string InformationRequest = "information-request";
    public const string NoFurtherAction = "no-further-action";
    public const string DeemedApproval = "deemed-approval";

    public static IReadOnlyList<string> All { get; } = [Decision, Notice, Extension, InformationRequest, NoFurtherAction, DeemedApproval];

    public static IReadOnlyList<string> Languages { get; } = ["en", "fr", "es"];
}

/// <summary>A condition of a decision, as a letter states it.</summary>
public sealed record ActCondition(string Text, DateOnly? DueDate);

/// <summary>
/// A legal act a letter is made from, kept whole on its outbox row when the command that did it commits, so the
/// letter job reads nothing of the run. <see cref="ActId"/> is unique within the case.
/// </summary>
public sealed record LetterAct(string ActId, string Kind, string? Jurisdiction, DateOnly Date)
{
    public string? Outcome { get; init; }

    public string? Authority { get; init; }

    public string? Basis { get; init; }

    /// <summary>The notice's kind in the definition's words (<c>s25.2-notice</c>, <c>no-order-notice</c>, ...).</summary>
    public string? NoticeKind { get; init; }

    /// <summary>The notice's title in each language the definition gives.</summary>
    public IReadOnlyDictionary<string, string>? Title { get; init; }

    public string? Question { get; init; }

    public DateOnly? AnswerBy { get; init; }

    public IReadOnlyList<ActCondition> Conditions { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static LetterAct FromJson(string json) => JsonSerializer.Deserialize<LetterAct>(json, Json)
        ?? throw new InvalidOperationException("An outbox row of kind letter carries no act.");

    /// <summary>
    /// The act a run's effect is, when it is one a letter is made of: a jurisdiction's decision (a combined decision
    /// repeats those already written to), a legal notice, a request for information. Null otherwise.
    /// </summary>
    public static LetterAct? Of(WorkflowEffect effect, WorkflowInstance instance, CaseRecord record, Func<string, string?> taskJurisdiction, ICalendarProvider calendars)
    {
        DateOnly DateIn(string? jurisdiction, DateTimeOffset instant) => LocalDates.DateIn(calendars, jurisdiction, instant);
        switch (effect)
        {
            case DecisionRecorded { Decision: var decision }:
                if (decision.Jurisdiction is null && instance.Decisions.Count > 0)
                {
                    return null;
                }

                return new LetterAct(
                    "decision:" + (decision.Jurisdiction ?? "case"),
                    decision.Outcome == "deemed-approved" ? LetterKinds.DeemedApproval : LetterKinds.Decision,
                    decision.Jurisdiction ?? record.HostJurisdiction,
                    DateIn(decision.Jurisdiction ?? record.HostJurisdiction, decision.DecidedAt))
                {
                    Outcome = decision.Outcome,
                    Authority = decision.Authority,
                    Basis = decision.Basis,
                    Conditions = [.. decision.Conditions.Select(c => new ActCondition(c.Text, c.DueDate))],
                };
            case NoticeRecorded { Notice: var notice }:
                var kind = notice.Kind switch
                {
                    "no-further-action" => LetterKinds.NoFurtherAction,
                    "s25.3(7)-extension" or "extension-by-agreement" => LetterKinds.Extension,
                    _ => LetterKinds.Notice,
                };
                return new LetterAct($"notice:{notice.StepId}:{notice.RecordedAt.UtcTicks}", kind, notice.Jurisdiction ?? record.HostJurisdiction, notice.EffectiveOn)
                {
                    NoticeKind = notice.Kind,
                    Basis = notice.Basis,
                    Title = notice.Title?.Texts,
                };
            case RequestOpened { Request: var request }:
                var jurisdiction = request.Request!.StopsClockOf
                    ?? (request.ParentId is { } parent ? taskJurisdiction(parent) : null)
                    ?? record.HostJurisdiction;
                return new LetterAct("request:" + request.Id, LetterKinds.InformationRequest, jurisdiction, DateIn(jurisdiction, request.CreatedAt))
                {
                    Question = request.Request.Question,
                    AnswerBy = request.DueAt is { } due ? LocalDates.DueDateIn(calendars, jurisdiction, due) : null,
                };
            default:
                return null;
        }
    }

    /// <summary>The languages the letter is written in: the applicant's, and for a Mexican act the Spanish original too.</summary>
    public IReadOnlyList<string> LanguagesFor(string? applicantLanguage)
    {
        var language = LetterKinds.Languages.Contains(applicantLanguage) ? applicantLanguage! : "en";
        return Jurisdiction == "MX" && language != "es" ? ["es", language] : [language];
    }
}

/// <summary>Dates as the law of a jurisdiction reads them: in its calendar's time zone.</summary>
public static class LocalDates
{
    public static DateOnly DateIn(ICalendarProvider calendars, string? jurisdiction, DateTimeOffset instant) =>
        jurisdiction is not null && calendars.Find(jurisdiction) is { } calendar ? calendar.DateOf(instant) : DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>The last day of a period that ends at <paramref name="dueAt"/> (the end of that day, local midnight).</summary>
    public static DateOnly DueDateIn(ICalendarProvider calendars, string? jurisdiction, DateTimeOffset dueAt) => DateIn(calendars, jurisdiction, dueAt.AddTicks(-1));

    public static DateOnly DueDateIn(ICalendarProvider calendars, string? jurisdiction, DateTime dueAtUtc) =>
        DueDateIn(calendars, jurisdiction, new DateTimeOffset(DateTime.SpecifyKind(dueAtUtc, DateTimeKind.Utc)));
}
