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

    public static string Of(WorkflowInstance instance)
    {
        if (instance.EndStatus == CaseOutcomes.Withdrawn)
        {
            return Withdrawn;
        }

        if (instance.EndStatus == CaseOutcomes.Closed)
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
