using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>fork</c>: starts every outcome as a parallel branch (those whose condition holds).</summary>
public sealed record ForkSettings(IReadOnlyDictionary<string, PreparedExpression> Conditions) : StepSettings;

/// <summary>Starts a branch per outcome whose condition holds (all of them without conditions); the branches carry the fork's frame for the join.</summary>
public sealed class ForkStep : StepType<ForkSettings>
{
    public override string Type => "fork";

    public override string Summary => "starts every branch (those whose `conditions` hold)";

    // Fewer than two branches is reported by the settings reader, in a fork's own words.
    public override StepOutcomes Outcomes => StepOutcomes.Declared(0);

    public override IReadOnlyList<string> SettingNames => ["conditions"];

    protected override ForkSettings ReadSettings(SettingsReader reader)
    {
        if (reader.Step.Outcomes.Count < 2)
        {
            reader.ProblemAt($"{reader.Step.Path}.outcomes", ProblemCodes.MissingConnection, $"Fork '{reader.Step.Id}' needs at least two branches.");
        }

        var conditions = new Dictionary<string, PreparedExpression>();
        if (reader.Settings["conditions"] is JsonObject c)
        {
            foreach (var (branch, expression) in c)
            {
                var path = $"{reader.SettingsPath}.conditions.{branch}";
                if (!reader.Step.HasOutcome(branch))
                {
                    reader.ProblemAt(path, ProblemCodes.DanglingConnection, $"Fork '{reader.Step.Id}' has a condition for '{branch}', which is not one of its branches.");
                }
                else if (reader.ExpressionAt(expression, path) is { } e)
                {
                    conditions[branch] = e;
                }
            }
        }

        return new ForkSettings(conditions);
    }

    protected override void Execute(StepContext context, ForkSettings settings)
    {
        var branches = context.Step.Outcomes
            .Where(o => !settings.Conditions.TryGetValue(o.Name, out var condition) || context.IsTrue(condition))
            .ToList();
        if (branches.Count == 0)
        {
            throw StepContext.Fail("No branch of the fork applies.");
        }

        var token = context.Token!;
        context.RemoveBranch(token);
        var frame = new ForkFrame(context.NewFrameId(), branches.Count);
        foreach (var branch in branches)
        {
            context.AddBranch(branch.To, [.. token.Forks, frame]);
        }

        context.Complete(string.Join(",", branches.Select(b => b.Name)));
    }
}
