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

    /// <summary>
    /// Every day counts; a due date on one of the calendar's legal holidays moves to the next day that is not
    /// one (Canada's Interpretation Act, s. 26 and s. 35: a Sunday is a holiday, a Saturday is not).
    /// </summary>
    CalendarHolidayRolling,
}

/// <summary>The stable strings of <see cref="DayUnit"/> used in definitions and the HTTP contract.</summary>
public static class DayUnits
{
    /// <summary>Every wire name, for messages and schemas.</summary>
    public static IReadOnlyList<string> Names { get; } = ["calendar", "business", "calendar-rolling", "calendar-holiday-rolling"];

    /// <summary>The wire name of a unit: <c>calendar</c>, <c>business</c>, <c>calendar-rolling</c> or <c>calendar-holiday-rolling</c>.</summary>
    public static string ToWire(this DayUnit unit) => unit switch
    {
        DayUnit.Calendar => "calendar",
        DayUnit.Business => "business",
        DayUnit.CalendarRolling => "calendar-rolling",
        DayUnit.CalendarHolidayRolling => "calendar-holiday-rolling",
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
            case "calendar-holiday-rolling": unit = DayUnit.CalendarHolidayRolling; return true;
            default: unit = default; return false;
        }
    }
}
