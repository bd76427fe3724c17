using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>decide</c>: routes to the outcome named by the expression's value (<c>true</c>/<c>false</c> for booleans).</summary>
public sealed record DecideSettings(PreparedExpression Expression) : StepSettings;

/// <summary>Routes by an expression's value; <c>default</c> catches values with no outcome of their own.</summary>
public sealed class DecideStep : StepType<DecideSettings>
{
    public override string Type => "decide";

    public override string Summary => "routes by an expression's value (`true`/`false` for booleans; `default` catches the rest)";

    public override StepOutcomes Outcomes => StepOutcomes.Declared(1);

    public override IReadOnlyList<string> SettingNames => ["expression"];

    protected override DecideSettings? ReadSettings(SettingsReader reader) =>
        reader.Expression("expression") is { } e ? new DecideSettings(e) : null;

    protected override void Execute(StepContext context, DecideSettings settings)
    {
        var outcome = DynamicValue.AsString(context.Expressions.Evaluate(settings.Expression)) ?? "null";
        if (!context.Step.HasOutcome(outcome))
        {
            if (!context.Step.HasOutcome("default"))
            {
                throw StepContext.Fail($"The decision gave '{Execution.Truncate(outcome)}', which is not one of its outcomes ({string.Join(", ", context.Step.Outcomes.Select(o => o.Name))}).");
            }

            outcome = "default";
        }

        context.Continue(outcome);
    }
}
