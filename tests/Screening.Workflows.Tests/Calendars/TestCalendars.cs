using System.Globalization;
using Screening.Workflows.Calendars;

namespace Screening.Workflows.Tests.Calendars;

/// <summary>The calendars the calendar tests run against, and a strict ISO date parser.</summary>
internal static class TestCalendars
{
    /// <summary>
    /// Hand-made holidays for the plain Saturday/Sunday calendar. Chosen so that there is a holiday on each
    /// side of a weekend (Fri 4 Jul / Mon 7 Jul 2025), a holiday on a Saturday (15 Nov 2025), a run of three
    /// holidays running into a weekend (Wed 24 – Fri 26 Dec 2025) and a New Year holiday (Thu 1 Jan 2026).
    /// </summary>
    public static readonly DateOnly[] PlainHolidays =
    [
        new(2025, 7, 4),   // Fri
        new(2025, 7, 7),   // Mon
        new(2025, 11, 15), // Sat (already a weekend day)
        new(2025, 12, 24), // Wed
        new(2025, 12, 25), // Thu
        new(2025, 12, 26), // Fri
        new(2026, 1, 1),   // Thu
    ];

    public static readonly BusinessCalendar Canada = HolidayDefaults.CalendarFor("CA", 2025, 2030)!;

    public static readonly BusinessCalendar Mexico = HolidayDefaults.CalendarFor("MX", 2025, 2030)!;

    public static readonly BusinessCalendar Plain =
        new("PLAIN", "Plain Saturday/Sunday test calendar", [DayOfWeek.Saturday, DayOfWeek.Sunday], PlainHolidays);

    public static BusinessCalendar Get(string code) => code switch
    {
        "CA" => Canada,
        "MX" => Mexico,
        "PLAIN" => Plain,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown test calendar."),
    };

    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
