using PublicHoliday;

namespace Screening.Workflows.Calendars;

/// <summary>
/// Computed default holidays for the two screening jurisdictions. These are only defaults:
/// administrators replace the stored list when an official calendar adds or moves a day.
/// </summary>
public static class HolidayDefaults
{
    private static readonly DayOfWeek[] SaturdaySunday = [DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The codes with computed defaults.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["CA", "MX"];

    /// <summary>Canada's federal holidays of a year, as observed (moved off weekends where the statute does).</summary>
    public static IReadOnlyList<DateOnly> Canada(int year)
    {
        DateTime?[] days =
        [
            CanadaPublicHoliday.NewYear(year),
            CanadaPublicHoliday.GoodFriday(year),
            CanadaPublicHoliday.EasterMonday(year),
            CanadaPublicHoliday.VictoriaDay(year),
            CanadaPublicHoliday.CanadaDay(year),
            CanadaPublicHoliday.CivicHoliday(year),
            CanadaPublicHoliday.LabourDay(year),
            CanadaPublicHoliday.NationalDayForTruthAndReconciliation(year),
            CanadaPublicHoliday.Thanksgiving(year),
            CanadaPublicHoliday.RemembranceDay(year),
            CanadaPublicHoliday.Christmas(year),
            ObservedBoxingDay(year),
        ];
        return Distinct(days.OfType<DateTime>());
    }

    // The package leaves Boxing Day on a weekend (and lets an observed Christmas land on it); federal
    // practice observes it on the first weekday after the observed Christmas.
    private static DateTime ObservedBoxingDay(int year)
    {
        var christmas = CanadaPublicHoliday.Christmas(year);
        var boxing = new DateTime(year, 12, 26);
        if (boxing <= christmas)
        {
            boxing = christmas.AddDays(1);
        }

        while (boxing.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            boxing = boxing.AddDays(1);
        }

        return boxing;
    }

    /// <summary>
    /// Mexico's official rest days of a year (Ley Federal del Trabajo, art. 74), including 1 October
    /// in years of a presidential inauguration.
    /// </summary>
    public static IReadOnlyList<DateOnly> Mexico(int year)
    {
        var days = new List<DateTime>
        {
            MexicoPublicHoliday.NewYear(year),
            MexicoPublicHoliday.ConstitutionDay(year),
            MexicoPublicHoliday.BenitoJuarezsBirthday(year),
            MexicoPublicHoliday.LaborDay(year),
            MexicoPublicHoliday.IndependenceDay(year),
            MexicoPublicHoliday.MexicanRevolutionDay(year),
            MexicoPublicHoliday.Christmas(year),
        };
        var inauguration = MexicoPublicHoliday.GetPresidentialInaugurationHoliday(year, out var isInaugurationYear);
        if (isInaugurationYear)
        {
            days.Add(inauguration);
        }

        return Distinct(days);
    }

    /// <summary>The default calendar for a code over a range of years, or null when the code has no defaults.</summary>
    public static BusinessCalendar? CalendarFor(string code, int firstYear, int lastYear)
    {
        Func<int, IReadOnlyList<DateOnly>>? holidays = code switch
        {
            "CA" => Canada,
            "MX" => Mexico,
            _ => null,
        };
        if (holidays is null)
        {
            return null;
        }

        var all = Enumerable.Range(firstYear, lastYear - firstYear + 1).SelectMany(holidays);
        return code == "CA"
            ? new BusinessCalendar("CA", "Canada (federal)", SaturdaySunday, all, "America/Toronto")
            : new BusinessCalendar("MX", "México (días de descanso obligatorio)", SaturdaySunday, all, "America/Mexico_City");
    }

    private static IReadOnlyList<DateOnly> Distinct(IEnumerable<DateTime> days) =>
        [.. days.Select(DateOnly.FromDateTime).Distinct().Order()];
}
