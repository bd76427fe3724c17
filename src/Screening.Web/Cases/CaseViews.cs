using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

/// <summary>A statutory clock: its last day (<c>dueAt</c>), and for officials its internal target (<c>targetAt</c>).</summary>
public sealed record ClockView(string Name, string Jurisdiction, string Unit, DateTimeOffset StartedAt, string DueAt, bool Running, int RemainingDays, string State, int Days)
{
    /// <summary>Day 0 of the period (the certified date, the day a notice was sent), from which its days count.</summary>
    public string? StartedOn { get; init; }

    public string? TargetAt { get; init; }

    public string? Basis { get; init; }
}

public sealed record RequestView(Guid Id, string Question, DateTimeOffset? DueAt);

public sealed record ConditionView(string Text, string? DueAt);

public sealed record DecisionView(string Outcome, DateTimeOffset DecidedAt, IReadOnlyList<ConditionView> Conditions)
{
    /// <summary>Whose decision, in a joint review's list of each jurisdiction's own.</summary>
    public string? Jurisdiction { get; init; }

    /// <summary>Who decided in law: <c>minister</c>, <c>governor-in-council</c>, <c>cnie</c> or <c>operation-of-law</c>.</summary>
    [AllowedValues("minister", "governor-in-council", "cnie", "operation-of-law", null)]
    public string? Authority { get; init; }

    /// <summary>The legal provision.</summary>
    public string? Basis { get; init; }
}

/// <summary>A timeline entry: <c>event</c> in English, and its <c>kind</c> and <c>detail</c> so a page can say it in the reader's language.</summary>
/// <param name="Jurisdiction">Whose act it was, where one government's own act is told (CA or MX); otherwise null.</param>
public sealed record TimelineItem(DateTimeOffset At, string Event, string Kind, string? Detail, string? Jurisdiction = null)
{
    /// <summary>The step a task event is about, so a page can give the task's title in the reader's language.</summary>
    public string? Step { get; init; }
}

public sealed record RequestHistoryView(Guid Id, string Question, [property: AllowedValues(RequestStatuses.Open, RequestStatuses.Answered, RequestStatuses.Expired, RequestStatuses.Cancelled)] string Status, string? Answer, DateTimeOffset? DueAt, DateTimeOffset AskedAt, string RequestedBy)
{
    /// <summary>The documents the answer refers to.</summary>
    public IReadOnlyList<Guid> DocumentIds { get; init; } = [];
}

public sealed record CommentView(string Step, string Jurisdiction, string? Author, string? Outcome, string Comment, DateTimeOffset? At)
{
    /// <summary>The words of the task the comment was given on, so a page names its outcome in the reader's language.</summary>
    public Reviews.TaskTexts Texts { get; init; } = Reviews.TaskTexts.Empty;
}

public sealed record FiredRuleView(string Id, string? Description)
{
    /// <summary>The description in each language the definition gives it.</summary>
    public IReadOnlyDictionary<string, string>? Descriptions { get; init; }

    public string? DescriptionIn(string language) => Descriptions is not null && Descriptions.TryGetValue(language, out var text) ? text : Description;
}

public sealed record CaseTaskView(Guid Id, string Step, string Title, [property: AllowedValues(Jurisdictions.Canada, Jurisdictions.Mexico)] string Jurisdiction, [property: AllowedValues(Roles.Officer, Roles.DecisionMaker)] string Role, [property: AllowedValues(TaskStatuses.Open, TaskStatuses.Claimed, TaskStatuses.Completed, TaskStatuses.Cancelled)] string Status, string? Assignee, DateTimeOffset? DueAt)
{
    public Reviews.TaskTexts Texts { get; init; } = Reviews.TaskTexts.Empty;
}

/// <summary>
/// A case as one caller may see it. What an applicant gets carries no officer's note, no comment of either
/// government and no risk triage: those fields are null for applicants.
/// </summary>
public sealed record CaseView(
    Guid Id,
    string Reference,
    string Status,
    string? Stage,
    IReadOnlyList<string> Jurisdictions,
    DateTimeOffset SubmittedAt,
    JsonNode? Filing,
    IReadOnlyList<ClockView> Clocks,
    IReadOnlyList<RequestView> OpenRequests,
    DecisionView? Decision,
    IReadOnlyList<TimelineItem> Timeline,
    string? RiskLevel,
    IReadOnlyList<FiredRuleView>? FiredRules,
    IReadOnlyList<CommentView>? Comments,
    IReadOnlyList<CaseTaskView>? Tasks,
    IReadOnlyList<NoteView>? Notes,
    IReadOnlyList<RequestHistoryView>? Requests)
{
    /// <summary>Each jurisdiction's own decision (in a joint review, both); <see cref="Decision"/> is the case's, the most restrictive.</summary>
    public IReadOnlyList<DecisionView> Decisions { get; init; } = [];

    /// <summary>In Canada: notification, application for review, voluntary notification or (once switched on) pre-implementation notification; in Mexico an application to the CNIE.</summary>
    public string? FilingKind { get; init; }

    /// <summary>True when the investment is in an activity reserved to the Mexican State (lithium, radioactive minerals).</summary>
    public bool ReservedActivity { get; init; }
}

public sealed record CaseSummary(Guid Id, string Reference, string Status, string? Stage, IReadOnlyList<string> Jurisdictions, DateTimeOffset SubmittedAt, string InvestorName, string TargetName, string? RiskLevel);

/// <summary>Builds views from the stored case, its workflow and its audit trail.</summary>
public static class CaseViews
{
    public static CaseSummary Summary(CaseRecord c, bool government) =>
        new(c.Id, c.Reference, c.Status, c.Stage, c.JurisdictionList, Utc(c.SubmittedAt), c.InvestorName, c.TargetName, government ? c.RiskLevel : null);

    public static IReadOnlyList<ClockView> Clocks(WorkflowInstance instance, ICalendarProvider calendars, DateTimeOffset now, bool official) =>
        [.. instance.Clocks.Select(clock =>
        {
            var calendar = calendars.Find(clock.Calendar) ?? BusinessCalendar.Weekdays;
            var today = calendar.DateOf(now);
            // A finished clock has nothing left: it shows its last day, not days to come.
            var running = clock.State is ClockState.Running or ClockState.Stopped;
            return new ClockView(clock.Name, clock.Jurisdiction, clock.Unit.ToWire(), clock.StartedAt,
                Iso(clock.DueDate(calendar, today)),
                clock.State == ClockState.Running, running ? clock.RemainingDays(calendar, today) : 0,
                JsonNamingPolicy.KebabCaseLower.ConvertName(clock.State.ToString()), clock.Days)
            {
                StartedOn = Iso(clock.StartedOn),
                TargetAt = official && clock.TargetDate(calendar) is { } target ? Iso(target) : null,
                Basis = clock.Basis,
            };
        })];

    public static DecisionView? Decision(WorkflowInstance instance) => instance.Decision is { } d ? View(d) : null;

    public static IReadOnlyList<DecisionView> Decisions(WorkflowInstance instance) => [.. instance.Decisions.Select(View)];

    private static DecisionView View(CaseDecision d) =>
        new(d.Outcome, d.DecidedAt, [.. d.Conditions.Select(c => new ConditionView(c.Text, c.DueDate is { } due ? Iso(due) : null))])
        {
            Jurisdiction = d.Jurisdiction,
            Authority = d.Authority,
            Basis = d.Basis,
        };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<RequestView> Requests(WorkflowInstance instance) =>
        [.. instance.OpenRequests.Select(r => new RequestView(Guid.Parse(r.Id), r.Request!.Question, r.DueAt))];

    public static IReadOnlyList<FiredRuleView> FiredRules(JsonArray? rules) =>
        rules is null ? [] : [.. rules.OfType<JsonObject>().Select(r => new FiredRuleView(r["id"]?.GetValue<string>() ?? "?", r["description"]?.GetValue<string>())
        {
            Descriptions = r["descriptions"] is JsonObject texts ? texts.Where(t => t.Value is JsonValue).ToDictionary(t => t.Key, t => t.Value!.GetValue<string>()) : null,
        })];

    /// <summary>
    /// The timeline, read from the case's audit trail: each command's entry tells what it did (its status change,
    /// tasks, requests and step trace). Officials see every event; applicants their own milestones. <c>kind</c> and
    /// <c>detail</c> let a page say each in the reader's language.
    /// </summary>
    public static IReadOnlyList<TimelineItem> Timeline(IEnumerable<AuditEntry> entries, bool applicant, bool jointDecisions = false)
    {
        var items = new List<TimelineItem>();
        foreach (var entry in entries)
        {
            var at = Utc(entry.At);
            var data = JsonNode.Parse(entry.DataJson) as JsonObject ?? [];
            void Add(string text, string kind, string? detail = null, string? jurisdiction = null) => items.Add(new TimelineItem(at, text, kind, detail, jurisdiction));
            switch (entry.Action)
            {
                case "case.submitted":
                    Add("Filing submitted", entry.Action);
                    break;
                case "case.opened":
                    Add("Case opened by an official for an investment not filed", entry.Action);
                    break;
                case "task.claimed" or "task.released" when !applicant:
                    Add($"Task '{S(data, "step")}' {entry.Action[5..]}", entry.Action);
                    break;
                case "case.withdrawn" or "incident.retried" when !applicant:
                    Add(entry.Action == "case.withdrawn" ? "Withdrawn by the applicant" : "Failed step retried", entry.Action);
                    break;
            }

            foreach (var step in Items(data, "trace"))
            {
                var (type, note, outcome) = (S(step, "type"), S(step, "note"), S(step, "outcome"));
                switch (type)
                {
                    case "clock" when note is not null:
                        Add($"Statutory clock: {note}", "step.clock", note);
                        continue;
                    case "clock-expiry":
                        Add("A statutory clock ran out", "step.clock-expiry");
                        continue;
                    case "decision" when outcome is not null && note?.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon:
                        // One government's own decision is news only where two decide; otherwise the case's says it.
                        if (jointDecisions || !applicant)
                        {
                            Add($"Decision of {note[..colon]}: {note[(colon + 2)..]}", "step.jurisdiction-decision", note[(colon + 2)..], note[..colon]);
                        }

                        continue;
                    case "decision" when outcome is not null:
                        Add($"Decision: {note}", "step.decision", note);
                        continue;
                    case "end" when data["status"] is null:
                        Add($"Case {outcome}", "step.end", outcome);
                        continue;
                    case "end":
                        continue;
                    case "notice" when outcome is not null:
                        Add($"Notice: {note}", "step.notice", note?.Split(' ')[0]);
                        continue;
                }

                // The engine's other steps are detail for officials; tasks and requests are told below, once each.
                if (!applicant && type is not ("human-task" or "request-information" or "escalation" or "information-request"))
                {
                    Add(outcome is null ? $"Step '{S(step, "step")}' waiting" : $"Step '{S(step, "step")}': {outcome}" + (note is { } n ? $" ({n})" : string.Empty), $"step.{type}", note);
                }
            }

            foreach (var request in Items(data, "requests"))
            {
                switch (S(request, "event"))
                {
                    case "opened": Add($"Request for information: {S(request, "question")}", "request.opened", S(request, "question")); break;
                    case "answered" when data["documents"] is JsonArray { Count: > 0 } documents:
                        Add($"Request for information answered with {documents.Count} document{(documents.Count == 1 ? string.Empty : "s")}", "request.answered", documents.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    case "answered": Add("Request for information answered", "request.answered"); break;
                    case "expired": Add("Request for information not answered in time", "request.expired"); break;
                    case "cancelled" when !applicant: Add("Request for information cancelled", "request.cancelled"); break;
                }
            }

            if (!applicant)
            {
                foreach (var task in Items(data, "tasks"))
                {
                    var step = S(task, "step");
                    switch (S(task, "event"))
                    {
                        case "opened": Add($"Task '{step}' opened for {S(task, "role")} ({S(task, "jurisdiction")})", "task.opened"); break;
                        case "completed":
                            var why = S(task, "reason") switch { "timeout" => " (no answer in time)", "period-ended" => " (the period ended)", _ => string.Empty };
                            items.Add(new TimelineItem(at, $"Task '{step}' completed: {S(task, "outcome")}{why}", "task.completed", S(task, "outcome"), S(task, "jurisdiction")) { Step = step });
                            break;
                        case "cancelled": Add($"Task '{step}' cancelled", "task.cancelled"); break;
                        case "escalated": Add($"Task '{step}' overdue: escalated", "task.escalated"); break;
                    }
                }
            }

            if (data["status"] is JsonObject status)
            {
                Add($"Status: {S(status, "to")}", "case.status-changed", S(status, "to"));
            }
        }

        return items;
    }

    private static string? S(JsonNode? node, string name) => node?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IEnumerable<JsonObject> Items(JsonObject data, string name) => data[name] is JsonArray list ? list.OfType<JsonObject>() : [];

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    /// <summary>The case, when the caller may read it; otherwise the same 404 as for a case that does not exist.</summary>
    public static async Task<CaseRecord> ReadableAsync(ScreeningDbContext db, CurrentUser user, Guid caseId, CancellationToken cancellationToken)
    {
        var record = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        return record is not null && CanRead(user, record) ? record : throw new NotFoundException("There is no such case.");
    }

    /// <summary>True when the caller may read the case: its applicant, an official of a participating jurisdiction, an admin.</summary>
    public static bool CanRead(CurrentUser user, CaseRecord record) =>
        user.IsAdmin
        || (user.IsApplicant && record.ApplicantId == user.Id)
        || (user.IsOfficial && user.Jurisdiction is { } j && record.JurisdictionList.Contains(j));
}
