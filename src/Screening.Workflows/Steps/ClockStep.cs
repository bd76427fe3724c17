using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

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
    /// <summary>Day 0 of a started period: a date or an instant taken from the case; today when absent.</summary>
    public DynamicValue? From { get; init; }

    /// <summary>A start on a non-business day counts as made on the next business day.</summary>
    public bool FromBusinessDay { get; init; }

    /// <summary>The period's last day itself (an extension both parties signed), instead of days.</summary>
    public DynamicValue? Until { get; init; }

    /// <summary>What may stop it.</summary>
    public StopPolicy Stops { get; init; }

    /// <summary>How it counts again after a stop.</summary>
    public ResumeRule ResumeOn { get; init; }

    /// <summary>An internal target, in days from the start.</summary>
    public DynamicValue? Target { get; init; }

    /// <summary>The period's legal basis.</summary>
    public DynamicValue? Basis { get; init; }

    public override IEnumerable<(string Property, string Event, string When)> RaisedEvents => ExpiryEvent is { } e ? [("expiryEvent", e, "on expiry")] : [];
}

/// <summary>Starts, stops, resumes, extends or completes a named statutory clock of a jurisdiction.</summary>
public sealed class ClockStep : StepType<ClockSettings>
{
    public override string Type => "clock";

    public override string Summary => "`start`, `stop`, `resume`, `extend` or `complete` a statutory clock; `expiryEvent` raises an event when it runs out";

    public override IReadOnlyList<string> SettingNames =>
        ["action", "clock", "jurisdiction", "calendar", "unit", "days", "expiryEvent", "from", "fromBusinessDay", "until", "stops", "resumeOn", "target", "basis"];

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
        var until = reader.Value("until", required: false);
        var days = reader.Value("days", required: action is ClockAction.Extend || (action == ClockAction.Start && until is null));
        reader.CheckLiteralDays(days, "days");
        var stops = (reader.OptionalString("stops") ?? "always") switch
        {
            "always" => StopPolicy.Always,
            "never" => StopPolicy.Never,
            "once-in-first-third" => StopPolicy.OnceInFirstThird,
            _ => (StopPolicy?)null,
        };
        if (stops is null)
        {
            reader.Problem("stops", ProblemCodes.InvalidField, $"Clock step '{step.Id}': 'stops' must be 'always', 'never' or 'once-in-first-third'.");
        }

        var resumeOn = (reader.OptionalString("resumeOn") ?? "next-day") switch
        {
            "next-day" => ResumeRule.NextDay,
            "next-business-day" => ResumeRule.NextBusinessDay,
            _ => (ResumeRule?)null,
        };
        if (resumeOn is null)
        {
            reader.Problem("resumeOn", ProblemCodes.InvalidField, $"Clock step '{step.Id}': 'resumeOn' must be 'next-day' or 'next-business-day'.");
        }

        var target = reader.Value("target", required: false);
        reader.CheckLiteralDays(target, "target");
        return new ClockSettings(action, clock, jurisdiction, reader.Value("calendar", false), unit, days, reader.OptionalString("expiryEvent"))
        {
            From = reader.Value("from", false),
            FromBusinessDay = reader.Settings["fromBusinessDay"] is System.Text.Json.Nodes.JsonValue b && b.TryGetValue<bool>(out var businessDay) && businessDay,
            Until = until,
            Stops = stops ?? StopPolicy.Always,
            ResumeOn = resumeOn ?? ResumeRule.NextDay,
            Target = target,
            Basis = reader.Value("basis", false),
        };
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

                var from = Date(context, settings.From, calendar, "The period's start") ?? calendar.DateOf(context.Now);
                if (settings.FromBusinessDay)
                {
                    from = calendar.NextBusinessDayOnOrAfter(from);
                }

                var until = Date(context, settings.Until, calendar, "The period's last day");
                int days;
                if (until is { } last)
                {
                    // A last day given as a date: the period counts the calendar days to it (a rolling unit still
                    // moves a last day that falls on a holiday).
                    days = last.DayNumber - from.DayNumber;
                    unit = unit == DayUnit.Business ? DayUnit.Calendar : unit;
                    if (days is < 0 or > BusinessCalendar.MaxDays)
                    {
                        throw StepContext.Fail($"The period's last day {last:yyyy-MM-dd} is not after its start {from:yyyy-MM-dd}.");
                    }
                }
                else
                {
                    days = context.Days(settings.Days!, "The clock's days");
                }

                var clock = context.StartClock(new ClockStart(settings.Clock, jurisdiction, unit, days)
                {
                    From = from,
                    ExpiryEvent = settings.ExpiryEvent,
                    StopPolicy = settings.Stops,
                    ResumeRule = settings.ResumeOn,
                    TargetDays = settings.Target is null ? null : context.Days(settings.Target, "The clock's target"),
                    Basis = context.EvaluateString(settings.Basis),
                }, calendar);
                context.Note($"{days} {unit.ToWire()} days from {from:yyyy-MM-dd}, due {clock.DueDate(calendar, clock.StartedOn):yyyy-MM-dd}");
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

    /// <summary>A date setting: <c>yyyy-MM-dd</c>, or an instant whose date on the clock's calendar is taken.</summary>
    internal static DateOnly? Date(StepContext context, DynamicValue? value, BusinessCalendar calendar, string what)
    {
        if (context.EvaluateString(value) is not { Length: > 0 } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
        {
            return date;
        }

        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var instant)
            ? calendar.DateOf(instant)
            : throw StepContext.Fail($"{what} '{Execution.Truncate(text)}' is not a date.");
    }
}
