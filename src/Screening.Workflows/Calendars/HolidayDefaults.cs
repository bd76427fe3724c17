using PublicHoliday;

namespace Screening.Workflows.Calendars;

/// <summary>
/// Computed default holidays for the two screening jurisdictions, each with its name and source. These are
/// only defaults: administrators correct the stored list and add the days an agency declares by decree.
/// </summary>
public static class HolidayDefaults
{
    private const string CanadaOffice = "Federal public service holiday";
    private const string InterpretationAct = "Interpretation Act, s. 35";
    private const string LaborLaw = "Ley Federal del Trabajo, art. 74";
    private static readonly DayOfWeek[] SaturdaySunday = [DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>The codes with computed defaults.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["CA", "MX"];

    /// <summary>Canada's federal holidays of a year, as observed (moved off weekends where the statute does).</summary>
    public static IReadOnlyList<DateOnly> Canada(int year) =>
        [.. CanadaNamed(year).Where(h => h.Kind.HasFlag(HolidayKind.NonBusiness)).Select(h => h.Date).Distinct().Order()];

    /// <summary>
    /// Canada's holidays of a year, named: the days the federal public service does not work (as observed,
    /// non-business days) and the legal holidays of the Interpretation Act, s. 35, which time limits roll past.
    /// They differ: Boxing Day and the Civic Holiday are days off but not s. 35 holidays; a fixed-date holiday on
    /// a weekend is a legal holiday on its own date (and, for New Year's Day, Canada Day and Remembrance Day on a
    /// Sunday, also the Monday after, s. 35(2)), while the office observes it on a weekday.
    /// </summary>
    public static IReadOnlyList<Holiday> CanadaNamed(int year)
    {
        var days = new List<Holiday>();
        void Office(DateTime date, string name) => days.Add(new Holiday(DateOnly.FromDateTime(date), name, CanadaOffice, HolidayKind.NonBusiness));
        void Legal(DateOnly date, string name) => days.Add(new Holiday(date, name, InterpretationAct, HolidayKind.Legal));
        void Fixed(int month, int day, string name, bool nextIfSunday)
        {
            var date = new DateOnly(year, month, day);
            Legal(date, name);
            if (nextIfSunday && date.DayOfWeek == DayOfWeek.Sunday)
            {
                Legal(date.AddDays(1), name);
            }
        }

        Office(CanadaPublicHoliday.NewYear(year), "New Year's Day");
        Fixed(1, 1, "New Year's Day", nextIfSunday: true);
        foreach (var (date, name) in new[]
        {
            (CanadaPublicHoliday.GoodFriday(year), "Good Friday"),
            (CanadaPublicHoliday.EasterMonday(year), "Easter Monday"),
            (CanadaPublicHoliday.VictoriaDay(year), "Victoria Day"),
            (CanadaPublicHoliday.LabourDay(year), "Labour Day"),
            (CanadaPublicHoliday.Thanksgiving(year), "Thanksgiving Day"),
        })
        {
            Office(date, name);
            Legal(DateOnly.FromDateTime(date), name);
        }

        Office(CanadaPublicHoliday.CanadaDay(year), "Canada Day");
        Fixed(7, 1, "Canada Day", nextIfSunday: true);
        Office(CanadaPublicHoliday.CivicHoliday(year), "Civic Holiday");
        if (CanadaPublicHoliday.NationalDayForTruthAndReconciliation(year) is { } truthAndReconciliation)
        {
            Office(truthAndReconciliation, "National Day for Truth and Reconciliation");
            Legal(new DateOnly(year, 9, 30), "National Day for Truth and Reconciliation");
        }

        Office(CanadaPublicHoliday.RemembranceDay(year), "Remembrance Day");
        Fixed(11, 11, "Remembrance Day", nextIfSunday: true);
        Office(CanadaPublicHoliday.Christmas(year), "Christmas Day");
        Fixed(12, 25, "Christmas Day", nextIfSunday: false);
        Office(ObservedBoxingDay(year), "Boxing Day");
        return [.. days.OrderBy(d => d.Date)];
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
    public static IReadOnlyList<DateOnly> Mexico(int year) => [.. MexicoNamed(year).Select(h => h.Date).Distinct().Order()];

    /// <summary>
    /// Mexico's official rest days of a year, named. For administrative deadlines (LFPA art. 28) the agency's
    /// declared non-business days count too; they change every year, so administrators add them with their decree.
    /// </summary>
    public static IReadOnlyList<Holiday> MexicoNamed(int year)
    {
        var days = new List<Holiday>
        {
            Rest(MexicoPublicHoliday.NewYear(year), "Año Nuevo"),
            Rest(MexicoPublicHoliday.ConstitutionDay(year), "Día de la Constitución"),
            Rest(MexicoPublicHoliday.BenitoJuarezsBirthday(year), "Natalicio de Benito Juárez"),
            Rest(MexicoPublicHoliday.LaborDay(year), "Día del Trabajo"),
            Rest(MexicoPublicHoliday.IndependenceDay(year), "Día de la Independencia"),
            Rest(MexicoPublicHoliday.MexicanRevolutionDay(year), "Día de la Revolución"),
            Rest(MexicoPublicHoliday.Christmas(year), "Navidad"),
        };
        var inauguration = MexicoPublicHoliday.GetPresidentialInaugurationHoliday(year, out var isInaugurationYear);
        if (isInaugurationYear)
        {
            days.Add(Rest(inauguration, "Transmisión del Poder Ejecutivo Federal"));
        }

        return [.. days.OrderBy(d => d.Date)];
    }

    /// <summary>The default calendar for a code over a range of years, or null when the code has no defaults.</summary>
    public static BusinessCalendar? CalendarFor(string code, int firstYear, int lastYear)
    {
        var years = Enumerable.Range(firstYear, lastYear - firstYear + 1);
        return code switch
        {
            // Sundays are legal holidays in Canada; a Saturday is not (Interpretation Act, s. 35).
            "CA" => new BusinessCalendar("CA", "Canada (federal)", SaturdaySunday, years.SelectMany(CanadaNamed), [DayOfWeek.Sunday], "America/Toronto"),
            "MX" => new BusinessCalendar("MX", "México (días inhábiles)", SaturdaySunday, years.SelectMany(MexicoNamed), SaturdaySunday, "America/Mexico_City"),
            _ => null,
        };
    }

    private static Holiday Rest(DateTime date, string name) => new(DateOnly.FromDateTime(date), name, LaborLaw, HolidayKind.Both);
}
