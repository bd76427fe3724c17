using Screening.Web.Identity;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>The case statuses of the HTTP contract, derived from the workflow.</summary>
public static class CaseStatuses
{
    public const string Submitted = "submitted";
    public const string InReview = "in-review";
    public const string AwaitingApplicant = "awaiting-applicant";
    public const string Decided = "decided";
    public const string Withdrawn = "withdrawn";
    public const string Closed = "closed";

    /// <summary>The statuses an end step may finish a case with.</summary>
    public static IReadOnlyList<string> EndStatuses { get; } = [Decided, Withdrawn, Closed];

    public static string Of(WorkflowInstance instance)
    {
        if (instance.EndStatus == Withdrawn)
        {
            return Withdrawn;
        }

        // An end step that names no status closes the case.
        if (instance.EndStatus == Closed || (instance.Status == WorkflowStatus.Finished && string.IsNullOrEmpty(instance.EndStatus)))
        {
            return Closed;
        }

        if (instance.Decision is not null)
        {
            return Decided;
        }

        if (instance.OpenRequests.Any())
        {
            return AwaitingApplicant;
        }

        return instance.Clocks.Count == 0 ? Submitted : InReview;
    }
}

/// <summary>The decision outcomes of the HTTP contract.</summary>
public static class DecisionOutcomes
{
    public const string Cleared = "cleared";
    public const string ClearedWithConditions = "cleared-with-conditions";
    public const string Prohibited = "prohibited";
    public const string DivestitureOrdered = "divestiture-ordered";
    public const string DeemedApproved = "deemed-approved";

    public static IReadOnlyList<string> All { get; } = [Cleared, ClearedWithConditions, Prohibited, DivestitureOrdered, DeemedApproved];
}

/// <summary>
/// The words the contract fixes, which the host holds every definition to: its roles, decision outcomes and end
/// statuses are declared by the definition and must be among these (the engine itself knows none).
/// </summary>
public static class ScreeningVocabulary
{
    public static DefinitionVocabulary Words { get; } = new(Roles.All, DecisionOutcomes.All, CaseStatuses.EndStatuses);
}
