using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Screening.Web.Cases;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

public sealed record TaskView(
    Guid Id,
    Guid CaseId,
    string CaseReference,
    string Step,
    string Title,
    string? Description,
    [property: AllowedValues(Jurisdictions.Canada, Jurisdictions.Mexico)] string Jurisdiction,
    [property: AllowedValues(Roles.Officer, Roles.DecisionMaker)] string Role,
    DateTimeOffset? DueAt,
    DateTimeOffset? FollowUpAt,
    [property: AllowedValues(TaskStatuses.Open, TaskStatuses.Claimed, TaskStatuses.Completed, TaskStatuses.Cancelled)] string Status,
    string? Assignee,
    IReadOnlyList<string> Outcomes,
    string? RiskLevel,
    bool Escalated,
    bool Overdue,
    bool AllowsInformationRequests,
    DateTimeOffset CreatedAt)
{
    /// <summary>What each outcome cannot be given without: <c>comment</c> (the reasons) and <c>conditions</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Requires { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The title, description and outcome labels in each language the definition gives.</summary>
    public TaskTexts Texts { get; init; } = TaskTexts.Empty;

    /// <summary>What a queue shows of the task's case: who invests in what, its stage and when it was filed.</summary>
    public TaskCase? Case { get; init; }
}

public sealed record TaskCase(string Investor, string Target, string? Stage, DateTimeOffset SubmittedAt);

public static class TaskViews
{
    public static TaskView From(ReviewTask t, DateTimeOffset now) => new(
        t.Id, t.CaseId, t.CaseReference, t.StepId, t.Title, t.Description, t.Jurisdiction, t.Role,
        CaseViews.Utc(t.DueAt), CaseViews.Utc(t.FollowUpAt), t.Status, t.Assignee,
        JsonSerializer.Deserialize<List<string>>(t.OutcomesJson) ?? [],
        t.RiskLevel, t.Escalated,
        t.DueAt is { } due && t.Status is TaskStatuses.Open or TaskStatuses.Claimed && CaseViews.Utc(due) < now,
        t.AllowsInformationRequests,
        CaseViews.Utc(t.CreatedAt))
    {
        // A task stored before tasks said what their outcomes need has an empty column: it needs nothing.
        Requires = string.IsNullOrEmpty(t.RequiresJson) ? [] : JsonSerializer.Deserialize<Dictionary<string, IReadOnlyList<string>>>(t.RequiresJson) ?? [],
        Texts = TaskTexts.Read(t.TextsJson),
    };

    /// <summary>True when the task is for the user's role and jurisdiction.</summary>
    public static bool IsFor(ReviewTask task, CurrentUser user) =>
        user.Jurisdiction == task.Jurisdiction && user.HasRole(task.Role);

    /// <summary>True when four eyes keeps the user off the task.</summary>
    public static bool Excludes(ReviewTask task, CurrentUser user) =>
        (JsonSerializer.Deserialize<List<string>>(task.ExcludedActorsJson) ?? []).Contains(user.Id);
}
