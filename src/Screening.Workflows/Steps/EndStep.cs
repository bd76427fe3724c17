using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>end</c>: finishes the instance with a status (and a decision outcome when none was recorded).</summary>
public sealed record EndSettings(string? Status, DynamicValue? Outcome) : StepSettings;

/// <summary>Finishes the workflow: every branch, bookmark and clock ends; the instance carries the step's status.</summary>
public sealed class EndStep : StepType<EndSettings>
{
    public override string Type => "end";

    public override string Summary => "finishes the case with one of the definition's `endStatuses`, and records `outcome` as the decision when none was taken";

    public override StepOutcomes Outcomes => StepOutcomes.None;

    public override IReadOnlyList<string> SettingNames => ["status", "outcome"];

    protected override EndSettings? ReadSettings(SettingsReader reader)
    {
        var status = reader.OptionalString("status");
        var statuses = reader.Vocabulary.EndStatuses;
        if (status is not null && statuses is not null && !statuses.Contains(status))
        {
            reader.Problem("status", ProblemCodes.InvalidField, $"End step '{reader.Step.Id}' has status '{status}'; use {string.Join(", ", statuses)}.");
            return null;
        }

        var outcome = reader.Value("outcome", false);
        reader.CheckWord(outcome, reader.Vocabulary.Decisions, $"{reader.SettingsPath}.outcome", "decision");
        return new EndSettings(status, outcome);
    }

    protected override void Execute(StepContext context, EndSettings settings)
    {
        if (context.Instance.Decision is null && settings.Outcome is not null && context.EvaluateString(settings.Outcome) is { } outcome)
        {
            DecisionStep.Record(context, new CaseDecision(DecisionStep.CheckedOutcome(context, outcome), context.Now, context.Actor, []));
        }

        foreach (var token in context.Instance.Tokens.ToList())
        {
            context.CancelBranch(token, $"the workflow ended at '{context.Step.Id}'");
        }

        foreach (var bookmark in context.Instance.Bookmarks.ToList())
        {
            context.CancelBookmark(bookmark);
        }

        context.CompleteAllClocks();
        context.FinishInstance(settings.Status ?? string.Empty);
        context.Complete(settings.Status ?? "finished");
    }
}
