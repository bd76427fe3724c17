using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>decision</c>: records the case decision (outcome and conditions) and completes the clocks.</summary>
public sealed record DecisionSettings(DynamicValue Outcome, DynamicValue? Conditions, DynamicValue? Calendar, DayUnit ConditionUnit) : StepSettings;

/// <summary>Records the case's decision, one of the definition's decision words, with its conditions' due dates, and completes every clock.</summary>
public sealed class DecisionStep : StepType<DecisionSettings>
{
    private static readonly BusinessCalendar PlainCalendar = new("default", "Weekdays", [DayOfWeek.Saturday, DayOfWeek.Sunday], []);

    public override string Type => "decision";

    public override string Summary => "records the case decision (one of the definition's `decisions`) and its conditions (due dates on a calendar) and completes the clocks";

    public override IReadOnlyList<string> SettingNames => ["outcome", "conditions", "calendar", "conditionUnit"];

    protected override DecisionSettings? ReadSettings(SettingsReader reader)
    {
        var outcome = reader.Value("outcome", required: true);
        reader.CheckWord(outcome, reader.Vocabulary.Decisions, $"{reader.SettingsPath}.outcome", "decision");
        var unitText = reader.OptionalString("conditionUnit") ?? "calendar";
        if (!DayUnits.TryParse(unitText, out var unit))
        {
            reader.Problem("conditionUnit", ProblemCodes.InvalidField, $"Step '{reader.Step.Id}': the condition unit must be 'calendar', 'business' or 'calendar-rolling'.");
        }

        return outcome is null ? null : new DecisionSettings(outcome, reader.Value("conditions", false), reader.Value("calendar", false), unit);
    }

    protected override void Execute(StepContext context, DecisionSettings settings)
    {
        if (context.Instance.Decision is not null)
        {
            throw StepContext.Fail($"A decision ({context.Instance.Decision.Outcome}) was already recorded; a case is decided once.");
        }

        var outcome = CheckedOutcome(context, context.EvaluateString(settings.Outcome));
        var calendarCode = context.EvaluateString(settings.Calendar);
        var calendar = calendarCode is null ? PlainCalendar : context.Calendar(calendarCode);
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

        Record(context, new CaseDecision(outcome, context.Now, context.Actor, conditions));
        context.CompleteAllClocks();
        context.Note(outcome);
        context.ActedBy(context.Actor);
        context.Continue(StepTypes.Done);
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
