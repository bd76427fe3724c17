using Screening.Workflows.Calendars;

namespace Screening.Workflows.Tests.Calendars;

/// <summary>
/// The computed default holidays. Expected lists were worked out by hand (Easter by the Gregorian computus,
/// weekdays checked with Python's <c>datetime</c>).
/// <para>
/// What PublicHoliday 3.17.0 does with Canadian holidays that fall on a weekend (found by probing the package
/// and reading its source): New Year, Canada Day, Truth and Reconciliation Day, Remembrance Day and Christmas
/// are moved to the following Monday (Saturday +2 days, Sunday +1 day; never to the preceding Friday).
/// Good Friday, Easter Monday and the Monday holidays cannot fall on a weekend. The package leaves Boxing Day
/// on a weekend, so <see cref="HolidayDefaults"/> observes it itself, as federal practice does: on the first
/// weekday after the observed Christmas (Sat 26 → Mon 28; Christmas on Sat or Sun → Tue 28 or Tue 27).
/// </para>
/// <para>
/// Mexico's days from the package are never moved: a fixed day on a weekend stays on the weekend.
/// </para>
/// </summary>
public class HolidayDefaultsTests
{
    private static DateOnly[] Dates(params string[] iso) => [.. iso.Select(TestCalendars.Date)];

    [Fact]
    public void Canada2026GivesTheTwelveFederalHolidays()
    {
        DateOnly[] expected = Dates(
            "2026-01-01", // New Year, Thu
            "2026-04-03", // Good Friday (Easter is Sun 5 Apr 2026)
            "2026-04-06", // Easter Monday
            "2026-05-18", // Victoria Day: Monday on or before 24 May (24 May is a Sunday)
            "2026-07-01", // Canada Day, Wed
            "2026-08-03", // Civic Holiday: first Monday of August
            "2026-09-07", // Labour Day: first Monday of September
            "2026-09-30", // National Day for Truth and Reconciliation, Wed
            "2026-10-12", // Thanksgiving: second Monday of October
            "2026-11-11", // Remembrance Day, Wed
            "2026-12-25", // Christmas, Fri
            "2026-12-28"); // Boxing Day falls on Sat 26 Dec and is observed Mon 28 Dec

        Assert.Equal(expected, HolidayDefaults.Canada(2026));
    }

    [Fact]
    public void Canada2027MovesChristmasAndBoxingDayOffTheWeekend()
    {
        DateOnly[] expected = Dates(
            "2027-01-01", // New Year, Fri
            "2027-03-26", // Good Friday (Easter is Sun 28 Mar 2027)
            "2027-03-29", // Easter Monday
            "2027-05-24", // Victoria Day: 24 May 2027 is itself a Monday
            "2027-07-01", // Canada Day, Thu
            "2027-08-02", // Civic Holiday: first Monday of August
            "2027-09-06", // Labour Day: first Monday of September
            "2027-09-30", // National Day for Truth and Reconciliation, Thu
            "2027-10-11", // Thanksgiving: second Monday of October
            "2027-11-11", // Remembrance Day, Thu
            "2027-12-27", // Christmas falls on Sat 25 Dec 2027 and is observed Mon 27 Dec
            "2027-12-28"); // Boxing Day (Sun 26 Dec) is observed the next weekday after Christmas, Tue 28 Dec

        Assert.Equal(expected, HolidayDefaults.Canada(2027));
    }

    [Fact]
    public void CanadaMovesSaturdayHolidaysToTheFollowingMonday()
    {
        // 2028: New Year (Sat 1 Jan), Canada Day (Sat 1 Jul), Truth and Reconciliation (Sat 30 Sep) and
        // Remembrance Day (Sat 11 Nov) are all on Saturdays; each is reported on the Monday after.
        var holidays = HolidayDefaults.Canada(2028);

        Assert.Contains(TestCalendars.Date("2028-01-03"), holidays);
        Assert.Contains(TestCalendars.Date("2028-07-03"), holidays);
        Assert.Contains(TestCalendars.Date("2028-10-02"), holidays);
        Assert.Contains(TestCalendars.Date("2028-11-13"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2028-01-01"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2027-12-31"), holidays); // never moved back to the Friday
        Assert.DoesNotContain(TestCalendars.Date("2028-07-01"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2028-09-30"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2028-11-11"), holidays);
        Assert.Equal(12, holidays.Count);
    }

    [Fact]
    public void CanadaMovesSundayHolidaysToTheFollowingMonday()
    {
        // 2029: Canada Day (Sun 1 Jul), Truth and Reconciliation (Sun 30 Sep), Remembrance Day (Sun 11 Nov).
        var holidays = HolidayDefaults.Canada(2029);

        Assert.Contains(TestCalendars.Date("2029-07-02"), holidays);
        Assert.Contains(TestCalendars.Date("2029-10-01"), holidays);
        Assert.Contains(TestCalendars.Date("2029-11-12"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2029-07-01"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2029-09-30"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2029-11-11"), holidays);
    }

    [Fact]
    public void CanadaSundayChristmasPushesBoxingDayToTuesday()
    {
        // Christmas 2022 is a Sunday, observed Mon 26 Dec; Boxing Day is then observed Tue 27 Dec.
        var holidays = HolidayDefaults.Canada(2022);

        Assert.Equal(12, holidays.Count);
        Assert.Contains(TestCalendars.Date("2022-12-26"), holidays);
        Assert.Contains(TestCalendars.Date("2022-12-27"), holidays);
        Assert.DoesNotContain(TestCalendars.Date("2022-12-25"), holidays);
    }

    [Fact]
    public void CanadaHasNoTruthAndReconciliationDayBefore2021()
    {
        var holidays2020 = HolidayDefaults.Canada(2020);

        Assert.Equal(11, holidays2020.Count);
        Assert.DoesNotContain(TestCalendars.Date("2020-09-30"), holidays2020); // a Wednesday, so not a weekend artefact
        Assert.Contains(TestCalendars.Date("2021-09-30"), HolidayDefaults.Canada(2021)); // first year, a Thursday
    }

    [Fact]
    public void Mexico2026GivesTheSevenRestDays()
    {
        DateOnly[] expected = Dates(
            "2026-01-01", // Año Nuevo, Thu
            "2026-02-02", // Constitución: first Monday of February
            "2026-03-16", // Benito Juárez: third Monday of March
            "2026-05-01", // Día del Trabajo, Fri
            "2026-09-16", // Independencia, Wed
            "2026-11-16", // Revolución: third Monday of November
            "2026-12-25"); // Navidad, Fri

        Assert.Equal(expected, HolidayDefaults.Mexico(2026));
    }

    [Fact]
    public void Mexico2027KeepsWeekendRestDaysOnTheWeekend()
    {
        DateOnly[] expected = Dates(
            "2027-01-01", // Año Nuevo, Fri
            "2027-02-01", // Constitución: first Monday of February (1 Feb 2027 is a Monday)
            "2027-03-15", // Benito Juárez: third Monday of March
            "2027-05-01", // Día del Trabajo, Sat: not moved
            "2027-09-16", // Independencia, Thu
            "2027-11-15", // Revolución: third Monday of November
            "2027-12-25"); // Navidad, Sat: not moved

        Assert.Equal(expected, HolidayDefaults.Mexico(2027));
    }

    [Fact]
    public void Mexico2030IncludesThePresidentialInaugurationOnFirstOctober()
    {
        DateOnly[] expected = Dates(
            "2030-01-01", // Año Nuevo, Tue
            "2030-02-04", // Constitución: first Monday of February
            "2030-03-18", // Benito Juárez: third Monday of March
            "2030-05-01", // Día del Trabajo, Wed
            "2030-09-16", // Independencia, Mon
            "2030-10-01", // Transmisión del Poder Ejecutivo Federal (every six years from 2024), Tue
            "2030-11-18", // Revolución: third Monday of November
            "2030-12-25"); // Navidad, Wed

        Assert.Equal(expected, HolidayDefaults.Mexico(2030));
    }

    [Theory]
    [InlineData(2024, true)]
    [InlineData(2025, false)]
    [InlineData(2026, false)]
    [InlineData(2027, false)]
    [InlineData(2028, false)]
    [InlineData(2029, false)]
    [InlineData(2030, true)]
    [InlineData(2036, true)]
    public void MexicoHasFirstOctoberOnlyInInaugurationYears(int year, bool inauguration)
    {
        var holidays = HolidayDefaults.Mexico(year);

        Assert.Equal(inauguration, holidays.Contains(new DateOnly(year, 10, 1)));
        Assert.Equal(inauguration ? 8 : 7, holidays.Count);
    }

    [Fact]
    public void CodesAreCanadaAndMexico()
    {
        Assert.Equal(["CA", "MX"], HolidayDefaults.Codes);
    }

    [Theory]
    [InlineData("US")]
    [InlineData("ca")]
    [InlineData("")]
    public void CalendarForAnUnknownCodeIsNull(string code)
    {
        Assert.Null(HolidayDefaults.CalendarFor(code, 2025, 2030));
    }

    [Fact]
    public void CanadaCalendarUsesSaturdaySundayTorontoAndEveryYearsHolidays()
    {
        var calendar = HolidayDefaults.CalendarFor("CA", 2026, 2027)!;

        Assert.Equal("CA", calendar.Code);
        Assert.Equal("America/Toronto", calendar.TimeZoneId);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Saturday], calendar.Weekend);
        Assert.Equal([.. HolidayDefaults.Canada(2026), .. HolidayDefaults.Canada(2027)], calendar.Holidays);
        Assert.Equal(24, calendar.Holidays.Count);
    }

    [Fact]
    public void MexicoCalendarUsesSaturdaySundayMexicoCityAndEveryYearsHolidays()
    {
        var calendar = HolidayDefaults.CalendarFor("MX", 2029, 2030)!;

        Assert.Equal("MX", calendar.Code);
        Assert.Equal("America/Mexico_City", calendar.TimeZoneId);
        Assert.Equal([DayOfWeek.Sunday, DayOfWeek.Saturday], calendar.Weekend);
        Assert.Equal([.. HolidayDefaults.Mexico(2029), .. HolidayDefaults.Mexico(2030)], calendar.Holidays);
        Assert.Equal(15, calendar.Holidays.Count);
        Assert.True(calendar.IsHoliday(new DateOnly(2030, 10, 1)));
        Assert.False(calendar.IsHoliday(new DateOnly(2029, 10, 1)));
    }

    [Fact]
    public void DefaultCalendarsHaveNoHolidaysOutsideTheirYears()
    {
        var calendar = HolidayDefaults.CalendarFor("CA", 2026, 2026)!;

        Assert.False(calendar.IsHoliday(new DateOnly(2025, 12, 25)));
        Assert.False(calendar.IsHoliday(new DateOnly(2027, 1, 1)));
        Assert.True(calendar.IsHoliday(new DateOnly(2026, 12, 25)));
    }
}
