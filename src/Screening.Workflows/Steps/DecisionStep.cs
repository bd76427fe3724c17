using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>decision</c>: records the case decision (outcome and conditions) and completes the clocks.</summary>
public sealed record DecisionSettings(DynamicValue? Outcome, DynamicValue? Conditions, DynamicValue? Calendar, DayUnit ConditionUnit) : StepSettings
{
    /// <summary>Whose decision it is, when one jurisdiction decides for itself (a joint review).</summary>
    public DynamicValue? Jurisdiction { get; init; }

    /// <summary>Who decides in law.</summary>
    public DynamicValue? Authority { get; init; }

    /// <summary>The legal provision.</summary>
    public DynamicValue? Basis { get; init; }

    /// <summary>Records the case's decision from the jurisdictions' own: the most restrictive of them.</summary>
    public bool Combine { get; init; }

    /// <summary>A variable that receives the decision (its outcome, authority and basis), for the steps after it.</summary>
    public string? ResultVariable { get; init; }
}

/// <summary>Records the case's decision, one of the definition's decision words, with its conditions' due dates, and completes every clock.</summary>
public sealed class DecisionStep : StepType<DecisionSettings>
{

    public override string Type => "decision";

    public override string Summary => "records a decision (one of the definition's `decisions`) with its `authority`, legal `basis` and conditions: the case's, or one `jurisdiction`'s (then its clocks complete); `combine` records the case's as the most restrictive of the jurisdictions' (the definition lists its decisions from least to most restrictive)";

    public override IReadOnlyList<string> SettingNames => ["outcome", "conditions", "calendar", "conditionUnit", "jurisdiction", "authority", "basis", "combine", "result"];

    protected override DecisionSettings? ReadSettings(SettingsReader reader)
    {
        var combine = reader.Settings["combine"] is System.Text.Json.Nodes.JsonValue c && c.TryGetValue<bool>(out var all) && all;
        var outcome = reader.Value("outcome", required: !combine);
        reader.CheckWord(outcome, reader.Vocabulary.Decisions, $"{reader.SettingsPath}.outcome", "decision");
        var unitText = reader.OptionalString("conditionUnit") ?? "calendar";
        if (!DayUnits.TryParse(unitText, out var unit))
        {
            reader.Problem("conditionUnit", ProblemCodes.InvalidField, $"Step '{reader.Step.Id}': the condition unit must be one of {string.Join(", ", DayUnits.Names.Select(n => $"'{n}'"))}.");
        }

        if (combine && reader.Settings["jurisdiction"] is not null)
        {
            reader.Problem("combine", ProblemCodes.InvalidField, $"Decision '{reader.Step.Id}' combines the jurisdictions' decisions, so it is no one jurisdiction's.");
        }

        return outcome is null && !combine ? null : new DecisionSettings(outcome, reader.Value("conditions", false), reader.Value("calendar", false), unit)
        {
            Jurisdiction = reader.Value("jurisdiction", false),
            Authority = reader.Value("authority", false),
            Basis = reader.Value("basis", false),
            Combine = combine,
            ResultVariable = reader.OptionalString("result"),
        };
    }

    protected override void Execute(StepContext context, DecisionSettings settings)
    {
        if (context.Instance.Decision is not null)
        {
            throw StepContext.Fail($"A decision ({context.Instance.Decision.Outcome}) was already recorded; a case is decided once.");
        }

        if (settings.Combine)
        {
            Combine(context, settings.ResultVariable);
            return;
        }

        var jurisdiction = context.EvaluateString(settings.Jurisdiction);
        if (jurisdiction is not null && context.Instance.Decisions.Any(d => d.Jurisdiction == jurisdiction))
        {
            throw StepContext.Fail($"{jurisdiction} has already decided this case; a jurisdiction decides once.");
        }

        var outcome = CheckedOutcome(context, context.EvaluateString(settings.Outcome));
        var calendarCode = context.EvaluateString(settings.Calendar);
        var calendar = context.Calendar(calendarCode ?? string.Empty);
        var conditions = new List<DecisionCondition>();
        if (settings.Conditions is not null && context.Evaluate(settings.Conditions) is JsonArray list)
        {
            foreach (var item in list.Take(100))
            {
                var text = DynamicValue.AsString(item?["text"]) ?? DynamicValue.AsString(item);
                if (string.IsNullOrWhiteSpace(text))
                {
                    continue;
                }

                DateOnly? due = JsonNumbers.TryGetDouble(item?["dueInDays"], out var days) && days is >= 0 and <= BusinessCalendar.MaxDays
                    ? calendar.AddDays(calendar.DateOf(context.Now), (int)days, settings.ConditionUnit)
                    : null;
                conditions.Add(new DecisionCondition(text, due));
            }
        }

        var decision = new CaseDecision(outcome, context.Now, context.Actor, conditions)
        {
            Jurisdiction = jurisdiction,
            Authority = context.EvaluateString(settings.Authority),
            Basis = context.EvaluateString(settings.Basis),
        };
        Keep(context, settings.ResultVariable, decision);
        if (jurisdiction is null)
        {
            Record(context, decision);
            context.CompleteAllClocks();
        }
        else
        {
            context.Instance.Decisions.Add(decision);
            context.Emit(new DecisionRecorded(decision));
            foreach (var clock in context.Instance.Clocks.Where(c => c.Jurisdiction == jurisdiction).ToList())
            {
                context.CompleteClock(clock);
            }
        }

        context.Note(jurisdiction is null ? outcome : $"{jurisdiction}: {outcome}");
        context.ActedBy(context.Actor);
        context.Continue(StepTypes.Done);
    }

    /// <summary>The case's decision from the jurisdictions' own: the most restrictive, with every condition.</summary>
    private static void Combine(StepContext context, string? resultVariable)
    {
        var decisions = context.Instance.Decisions;
        if (decisions.Count == 0)
        {
            throw StepContext.Fail("No jurisdiction has decided yet, so there is nothing to combine.");
        }

        var order = (context.Definition.Vocabulary.Decisions ?? []).ToList();
        var strictest = decisions.OrderByDescending(d => order.IndexOf(d.Outcome)).ThenBy(d => d.DecidedAt).First();
        var combined = strictest with
        {
            DecidedAt = context.Now,
            Jurisdiction = null,
            Conditions = [.. decisions.SelectMany(d => d.Conditions)],
        };
        Keep(context, resultVariable, combined);
        Record(context, combined);
        context.CompleteAllClocks();
        // The note is the outcome alone, as for a case decided at once; the jurisdictions' own are in the trace before it.
        context.Note(strictest.Outcome);
        context.ActedBy(WorkflowRunner.SystemActor);
        context.Continue(StepTypes.Done);
    }

    private static void Keep(StepContext context, string? variable, CaseDecision decision)
    {
        if (variable is not null)
        {
            context.SetVariable(variable, new JsonObject
            {
                ["outcome"] = decision.Outcome,
                ["jurisdiction"] = decision.Jurisdiction,
                ["authority"] = decision.Authority,
                ["basis"] = decision.Basis,
                ["conditions"] = decision.Conditions.Count,
            });
        }
    }

    /// <summary>An outcome a step gave, held to the definition's decision words.</summary>
    internal static string CheckedOutcome(StepContext context, string? outcome)
    {
        var allowed = context.Definition.Vocabulary.Decisions;
        return outcome is null || (allowed is not null && !allowed.Contains(outcome))
            ? throw StepContext.Fail($"'{Execution.Truncate(outcome ?? "null")}' is not a decision outcome.")
            : outcome;
    }

    /// <summary>Records the decision on the instance and reports it.</summary>
    internal static void Record(StepContext context, CaseDecision decision)
    {
        context.Instance.Decision = decision;
        context.Emit(new DecisionRecorded(decision));
    }
}
