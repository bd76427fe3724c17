using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Steps;

/// <summary>What a clock step does.</summary>
public enum ClockAction
{
    /// <summary>Starts a clock.</summary>
    Start,

    /// <summary>Stops (pauses) a clock.</summary>
    Stop,

    /// <summary>Resumes a stopped clock.</summary>
    Resume,

    /// <summary>Adds days to a clock.</summary>
    Extend,

    /// <summary>Completes a clock: it no longer runs or expires.</summary>
    Complete,
}

/// <summary><c>clock</c>: start, stop, resume, extend or complete a statutory clock.</summary>
public sealed record ClockSettings(ClockAction Action, string Clock, DynamicValue? Jurisdiction, DynamicValue? Calendar, DynamicValue? Unit, DynamicValue? Days, string? ExpiryEvent) : StepSettings
{
    public override IEnumerable<(string Property, string Event, string When)> RaisedEvents => ExpiryEvent is { } e ? [("expiryEvent", e, "on expiry")] : [];
}

/// <summary>Starts, stops, resumes, extends or completes a named statutory clock of a jurisdiction.</summary>
public sealed class ClockStep : StepType<ClockSettings>
{
    public override string Type => "clock";

    public override string Summary => "`start`, `stop`, `resume`, `extend` or `complete` a statutory clock; `expiryEvent` raises an event when it runs out";

    public override IReadOnlyList<string> SettingNames => ["action", "clock", "jurisdiction", "calendar", "unit", "days", "expiryEvent"];

    protected override ClockSettings? ReadSettings(SettingsReader reader)
    {
        var step = reader.Step;
        var actionText = reader.OptionalString("action");
        if (!Enum.TryParse<ClockAction>(actionText, ignoreCase: true, out var action) || actionText is null || !char.IsLower(actionText[0]))
        {
            reader.Problem("action", actionText is null ? ProblemCodes.MissingField : ProblemCodes.InvalidField,
                $"Clock step '{step.Id}' needs an 'action': start, stop, resume, extend or complete.");
            return null;
        }

        var clock = reader.OptionalString("clock");
        if (clock is null)
        {
            reader.Problem("clock", ProblemCodes.MissingField, $"Clock step '{step.Id}' needs the name of its clock.");
            return null;
        }

        var jurisdiction = reader.Value("jurisdiction", required: action == ClockAction.Start);
        var unit = reader.Value("unit", required: action == ClockAction.Start);
        reader.CheckUnit(unit, $"{reader.SettingsPath}.unit");
        var days = reader.Value("days", required: action is ClockAction.Start or ClockAction.Extend);
        reader.CheckLiteralDays(days, "days");
        return new ClockSettings(action, clock, jurisdiction, reader.Value("calendar", false), unit, days, reader.OptionalString("expiryEvent"));
    }

    protected override void Execute(StepContext context, ClockSettings settings)
    {
        var jurisdiction = context.EvaluateString(settings.Jurisdiction);
        switch (settings.Action)
        {
            case ClockAction.Start:
            {
                if (string.IsNullOrEmpty(jurisdiction))
                {
                    throw StepContext.Fail("The clock's jurisdiction is empty.");
                }

                var calendar = context.Calendar(context.EvaluateString(settings.Calendar) ?? jurisdiction);
                var unitText = context.EvaluateString(settings.Unit);
                if (!DayUnits.TryParse(unitText, out var unit))
                {
                    throw StepContext.Fail($"'{unitText}' is not a unit of days.");
                }

                var days = context.Days(settings.Days!, "The clock's days");
                var clock = context.StartClock(settings.Clock, jurisdiction, calendar, unit, days, settings.ExpiryEvent);
                context.Note($"{days} {unit.ToWire()} days, due {clock.DueDate(calendar, clock.StartedOn):yyyy-MM-dd}");
                break;
            }

            case ClockAction.Stop:
                context.StopClocks(settings.Clock, jurisdiction, context.Step.Id);
                break;
            case ClockAction.Resume:
                context.ResumeClocks(settings.Clock, jurisdiction, null);
                break;
            case ClockAction.Extend:
            {
                var days = context.Days(settings.Days!, "The extension's days");
                foreach (var clock in context.Clocks(settings.Clock, jurisdiction).Where(c => c.State is ClockState.Running or ClockState.Stopped))
                {
                    context.ExtendClock(clock, days);
                    context.Note($"+{days} days, due {context.DueDate(clock):yyyy-MM-dd}");
                }

                break;
            }

            case ClockAction.Complete:
                foreach (var clock in context.Clocks(settings.Clock, jurisdiction))
                {
                    context.CompleteClock(clock);
                }

                break;
        }

        context.Continue(StepTypes.Done);
    }
}
