using Screening.Workflows.Calendars;

namespace Screening.Workflows.Tests.Calendars;

/// <summary>Argument guards, construction rules and the time-zone end of a day.</summary>
public class BusinessCalendarGuardTests
{
    private static readonly DateOnly Start = new(2026, 1, 5);

    [Theory]
    [InlineData(DayUnit.Calendar, -1)]
    [InlineData(DayUnit.Business, -1)]
    [InlineData(DayUnit.CalendarRolling, -1)]
    [InlineData(DayUnit.Business, int.MinValue)]
    [InlineData(DayUnit.Calendar, BusinessCalendar.MaxDays + 1)]
    [InlineData(DayUnit.Business, BusinessCalendar.MaxDays + 1)]
    [InlineData(DayUnit.CalendarRolling, BusinessCalendar.MaxDays + 1)]
    [InlineData(DayUnit.Business, int.MaxValue)]
    public void AddDaysRejectsNegativeOrOversizedPeriods(DayUnit unit, int days)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TestCalendars.Canada.AddDays(Start, days, unit));

        Assert.Equal("days", ex.ParamName);
    }

    [Theory]
    [InlineData(DayUnit.Calendar)]
    [InlineData(DayUnit.Business)]
    [InlineData(DayUnit.CalendarRolling)]
    public void AddDaysAcceptsExactlyMaxDays(DayUnit unit)
    {
        var due = TestCalendars.Plain.AddDays(Start, BusinessCalendar.MaxDays, unit);

        Assert.True(due > Start);
    }

    [Fact]
    public void MaxDaysCalendarPeriodIsThatManyDaysLater()
    {
        // 3660 days after Mon 5 Jan 2026 is Sun 13 Jan 2036 (checked with Python: date(2026,1,5) + timedelta(3660)).
        Assert.Equal(new DateOnly(2036, 1, 13), TestCalendars.Plain.AddDays(Start, BusinessCalendar.MaxDays, DayUnit.Calendar));
    }

    [Fact]
    public void AddDaysRejectsAnUndefinedUnit()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TestCalendars.Canada.AddDays(Start, 1, (DayUnit)42));
    }

    [Fact]
    public void ACalendarWhoseWeekendIsEveryDayIsRejected()
    {
        DayOfWeek[] allWeek = [.. Enum.GetValues<DayOfWeek>()];

        var ex = Assert.Throws<ArgumentException>(() => new BusinessCalendar("X", "No working days", allWeek, []));

        Assert.Equal("weekend", ex.ParamName);
    }

    [Fact]
    public void ReplacingTheWeekendWithEveryDayIsRejected()
    {
        DayOfWeek[] allWeek = [.. Enum.GetValues<DayOfWeek>()];

        Assert.Throws<ArgumentException>(() => TestCalendars.Canada.With(weekend: allWeek));
    }

    [Fact]
    public void ACalendarWithOneWorkingWeekdayIsAccepted()
    {
        DayOfWeek[] allButWednesday = [.. Enum.GetValues<DayOfWeek>().Where(d => d != DayOfWeek.Wednesday)];
        var calendar = new BusinessCalendar("W", "Wednesdays only", allButWednesday, []);

        // Mon 5 Jan 2026: the next two Wednesdays are 7 and 14 Jan.
        Assert.Equal(new DateOnly(2026, 1, 14), calendar.AddDays(Start, 2, DayUnit.Business));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void ACalendarNeedsACode(string? code)
    {
        Assert.ThrowsAny<ArgumentException>(() => new BusinessCalendar(code!, "x", [DayOfWeek.Sunday], []));
    }

    [Theory]
    // Winter (EST, UTC-5): 15 Jan 2027 ends at local midnight 16 Jan = 05:00Z.
    [InlineData("2027-01-15", "2027-01-16T05:00:00Z")]
    // Summer (EDT, UTC-4): 15 Jul 2026 ends at 04:00Z.
    [InlineData("2026-07-15", "2026-07-16T04:00:00Z")]
    // Sat 7 Mar 2026 ends at midnight before the 02:00 spring-forward of Sun 8 Mar: still EST.
    [InlineData("2026-03-07", "2026-03-08T05:00:00Z")]
    // Sun 8 Mar 2026 (the spring-forward day, 23 hours long) ends at midnight EDT.
    [InlineData("2026-03-08", "2026-03-09T04:00:00Z")]
    // Sat 31 Oct 2026 ends at midnight before the 02:00 fall-back of Sun 1 Nov: still EDT.
    [InlineData("2026-10-31", "2026-11-01T04:00:00Z")]
    // Sun 1 Nov 2026 (the fall-back day, 25 hours long) ends at midnight EST.
    [InlineData("2026-11-01", "2026-11-02T05:00:00Z")]
    // Year end and leap day.
    [InlineData("2025-12-31", "2026-01-01T05:00:00Z")]
    [InlineData("2028-02-29", "2028-03-01T05:00:00Z")]
    public void EndOfACanadianDayIsTheNextTorontoMidnightInUtc(string date, string expectedUtc)
    {
        var end = TestCalendars.Canada.EndOf(TestCalendars.Date(date));

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), end);
        Assert.Equal(TimeSpan.Zero, end.Offset);
    }

    [Theory]
    // Mexico City has had no daylight saving time since 2022: UTC-6 all year.
    [InlineData("2027-01-15", "2027-01-16T06:00:00Z")]
    [InlineData("2026-07-15", "2026-07-16T06:00:00Z")]
    public void EndOfAMexicanDayIsTheNextMexicoCityMidnightInUtc(string date, string expectedUtc)
    {
        var end = TestCalendars.Mexico.EndOf(TestCalendars.Date(date));

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), end);
        Assert.Equal(TimeSpan.Zero, end.Offset);
    }

    [Fact]
    public void EndOfOnAUtcCalendarIsUtcMidnight()
    {
        Assert.Equal(new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero), TestCalendars.Plain.EndOf(Start));
    }

    [Fact]
    public void DateOfAnInstantIsTheLocalDateInTheCalendarsZone()
    {
        // 04:59:59Z on 16 Jan 2027 is still 23:59:59 on 15 Jan in Toronto; 05:00Z is the 16th.
        Assert.Equal(new DateOnly(2027, 1, 15), TestCalendars.Canada.DateOf(new DateTimeOffset(2027, 1, 16, 4, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 1, 16), TestCalendars.Canada.DateOf(new DateTimeOffset(2027, 1, 16, 5, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AnUnknownTimeZoneFallsBackToUtc()
    {
        var calendar = new BusinessCalendar("Z", "Nowhere", [DayOfWeek.Saturday, DayOfWeek.Sunday], [], "Nowhere/Nothing");

        Assert.Equal(TimeZoneInfo.Utc, calendar.TimeZone);
        Assert.Equal("Nowhere/Nothing", calendar.TimeZoneId);
    }
}
