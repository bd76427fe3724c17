using System.Text.Json;
using System.Text.Json.Nodes;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

public sealed record ClockView(string Name, string Jurisdiction, string Unit, DateTimeOffset StartedAt, string DueAt, bool Running, int RemainingDays, string State, int Days);

public sealed record RequestView(Guid Id, string Question, DateTimeOffset? DueAt);

public sealed record ConditionView(string Text, string? DueAt);

public sealed record DecisionView(string Outcome, DateTimeOffset DecidedAt, IReadOnlyList<ConditionView> Conditions);

/// <summary>A timeline entry: <c>event</c> in English, and its <c>kind</c> and <c>detail</c> so a page can say it in the reader's language.</summary>
public sealed record TimelineItem(DateTimeOffset At, string Event, string Kind, string? Detail);

public sealed record RequestHistoryView(Guid Id, string Question, string Status, string? Answer, DateTimeOffset? DueAt, DateTimeOffset AskedAt, string RequestedBy);

public sealed record CommentView(string Step, string Jurisdiction, string? Author, string? Outcome, string Comment, DateTimeOffset? At);

public sealed record FiredRuleView(string Id, string? Description);

public sealed record CaseTaskView(Guid Id, string Step, string Title, string Jurisdiction, string Role, string Status, string? Assignee, DateTimeOffset? DueAt);

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
    IReadOnlyList<RequestHistoryView>? Requests);

public sealed record CaseSummary(Guid Id, string Reference, string Status, string? Stage, IReadOnlyList<string> Jurisdictions, DateTimeOffset SubmittedAt, string InvestorName, string TargetName, string? RiskLevel);

/// <summary>Builds views from the stored case, its workflow and its audit trail.</summary>
public static class CaseViews
{
    public static CaseSummary Summary(CaseRecord c, bool government) =>
        new(c.Id, c.Reference, c.Status, c.Stage, c.JurisdictionList, Utc(c.SubmittedAt), c.InvestorName, c.TargetName, government ? c.RiskLevel : null);

    public static IReadOnlyList<ClockView> Clocks(WorkflowInstance instance, ICalendarProvider calendars, DateTimeOffset now) =>
        [.. instance.Clocks.Select(clock =>
        {
            var calendar = calendars.Find(clock.Calendar) ?? new BusinessCalendar(clock.Calendar, clock.Calendar, [DayOfWeek.Saturday, DayOfWeek.Sunday], []);
            var today = calendar.DateOf(now);
            return new ClockView(clock.Name, clock.Jurisdiction, clock.Unit.ToWire(), clock.StartedAt,
                clock.DueDate(calendar, today).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                clock.State == ClockState.Running, clock.RemainingDays(calendar, today),
                JsonNamingPolicy.KebabCaseLower.ConvertName(clock.State.ToString()), clock.Days);
        })];

    public static DecisionView? Decision(WorkflowInstance instance) => instance.Decision is { } d
        ? new DecisionView(d.Outcome, d.DecidedAt, [.. d.Conditions.Select(c => new ConditionView(c.Text, c.DueDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)))])
        : null;

    public static IReadOnlyList<RequestView> Requests(WorkflowInstance instance) =>
        [.. instance.OpenRequests.Select(r => new RequestView(Guid.Parse(r.Id), r.Request!.Question, r.DueAt))];

    public static IReadOnlyList<FiredRuleView> FiredRules(WorkflowInstance instance) =>
        instance.Variables["firedRules"] is JsonArray rules
            ? [.. rules.OfType<JsonObject>().Select(r => new FiredRuleView(r["id"]?.GetValue<string>() ?? "?", r["description"]?.GetValue<string>()))]
            : [];

    /// <summary>The timeline: every audit entry of the case for officials; the applicant's own milestones for applicants.</summary>
    public static IReadOnlyList<TimelineItem> Timeline(IEnumerable<AuditEntry> entries, bool applicant)
    {
        var items = new List<TimelineItem>();
        foreach (var entry in entries)
        {
            var data = JsonNode.Parse(entry.DataJson) as JsonObject ?? [];
            var text = Describe(entry.Action, data, applicant);
            if (text is not null)
            {
                items.Add(new TimelineItem(Utc(entry.At), text, entry.Action, Detail(entry.Action, data)));
            }
        }

        return items;
    }

    private static string? Detail(string action, JsonObject data)
    {
        string? S(string name) => data[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return action switch
        {
            "case.status-changed" => S("to"),
            "request.opened" => S("question"),
            "step.decision" => S("note"),
            "step.end" => S("outcome"),
            "step.clock" => S("note"),
            _ => null,
        };
    }

    private static string? Describe(string action, JsonObject data, bool applicant)
    {
        string? S(string name) => data[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        switch (action)
        {
            case "case.submitted": return "Filing submitted";
            case "case.status-changed": return $"Status: {S("to")}";
            case "request.opened": return $"Request for information: {S("question")}";
            case "request.answered": return "Request for information answered";
            case "request.expired": return "Request for information not answered in time";
            case "step.clock" when S("note") is { } note: return $"Statutory clock: {note}";
            case "step.clock-expiry": return "A statutory clock ran out";
            case "step.decision": return $"Decision: {S("note")}";
            case "step.end": return $"Case {S("outcome")}";
        }

        if (applicant)
        {
            return null;
        }

        return action switch
        {
            "task.opened" => $"Task '{S("step")}' opened for {S("role")} ({S("jurisdiction")})",
            "task.claimed" => $"Task '{S("step")}' claimed",
            "task.released" => $"Task '{S("step")}' released",
            "task.completed" => $"Task '{S("step")}' completed: {S("outcome")}" + (S("reason") == "timeout" ? " (no answer in time)" : string.Empty),
            "task.cancelled" => $"Task '{S("step")}' cancelled",
            "task.escalated" => $"Task '{S("step")}' overdue: escalated",
            "request.cancelled" => "Request for information cancelled",
            "timer.fired" => null,
            _ when action.StartsWith("step.", StringComparison.Ordinal) && S("outcome") is null => $"Step '{S("step")}' waiting",
            _ when action.StartsWith("step.", StringComparison.Ordinal) => $"Step '{S("step")}': {S("outcome")}" + (S("note") is { } n ? $" ({n})" : string.Empty),
            _ => action,
        };
    }

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

    /// <summary>True when the caller may read the case: its applicant, an official of a participating jurisdiction, an admin.</summary>
    public static bool CanRead(CurrentUser user, CaseRecord record) =>
        user.IsAdmin
        || (user.IsApplicant && record.ApplicantId == user.Id)
        || (user.IsOfficial && user.Jurisdiction is { } j && record.JurisdictionList.Contains(j));
}
