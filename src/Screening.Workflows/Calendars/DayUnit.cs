namespace Screening.Workflows.Calendars;

/// <summary>How a statutory period counts its days.</summary>
public enum DayUnit
{
    /// <summary>Every day counts.</summary>
    Calendar,

    /// <summary>Only days that are neither weekend nor holiday count.</summary>
    Business,

    /// <summary>Every day counts; a due date on a weekend or holiday moves to the next business day.</summary>
    CalendarRolling,
}

/// <summary>The stable strings of <see cref="DayUnit"/> used in definitions and the HTTP contract.</summary>
public static class DayUnits
{
    /// <summary>The wire name of a unit: <c>calendar</c>, <c>business</c> or <c>calendar-rolling</c>.</summary>
    public static string ToWire(this DayUnit unit) => unit switch
    {
        DayUnit.Calendar => "calendar",
        DayUnit.Business => "business",
        DayUnit.CalendarRolling => "calendar-rolling",
        _ => throw new ArgumentOutOfRangeException(nameof(unit)),
    };

    /// <summary>Parses a wire name; returns false for anything else.</summary>
    public static bool TryParse(string? value, out DayUnit unit)
    {
        switch (value)
        {
            case "calendar": unit = DayUnit.Calendar; return true;
            case "business": unit = DayUnit.Business; return true;
            case "calendar-rolling": unit = DayUnit.CalendarRolling; return true;
            default: unit = default; return false;
        }
    }
}
