namespace Screening.Workflows.Definitions;

/// <summary>The typed, prepared settings of a step; each step type declares its own.</summary>
public abstract record StepSettings
{
    /// <summary>Definition events the step may raise, the setting that names each and when (checked against the definition's <c>events</c>).</summary>
    public virtual IEnumerable<(string Property, string Event, string When)> RaisedEvents => [];
}

/// <summary>A period on a calendar: <c>{ "days": 30, "unit": "calendar", "calendar": "=host" }</c>.</summary>
/// <param name="Days">How many days.</param>
/// <param name="Unit">How they count (a <see cref="Calendars.DayUnit"/> wire name).</param>
/// <param name="Calendar">Which calendar; null means the step's jurisdiction.</param>
public sealed record DueRule(DynamicValue Days, DynamicValue Unit, DynamicValue? Calendar);
