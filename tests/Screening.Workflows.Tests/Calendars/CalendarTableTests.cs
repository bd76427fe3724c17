using Screening.Workflows.Calendars;

namespace Screening.Workflows.Tests.Calendars;

/// <summary>
/// Due dates worked out by hand from a real calendar (weekdays checked independently with Python's
/// <c>datetime</c>, never with the code under test). CA and MX are the default calendars for 2025–2030;
/// PLAIN is a Saturday/Sunday calendar whose only holidays are <see cref="TestCalendars.PlainHolidays"/>.
/// Day 1 is the first counted day after the start.
/// </summary>
public class CalendarTableTests
{
    [Theory]
    // ---- Canada (federal defaults) ----
    // Fri 9 Jan 2026 + 1 business: Sat/Sun skipped -> Mon 12 Jan.
    [InlineData("CA", "2026-01-09", 1, DayUnit.Business, "2026-01-12")]
    // Start on Sat 10 Jan 2026: Sun skipped, Mon 12 Jan is day 1.
    [InlineData("CA", "2026-01-10", 1, DayUnit.Business, "2026-01-12")]
    // Start on Sat 10 Jan 2026: Mon 12..Fri 16 are days 1..5.
    [InlineData("CA", "2026-01-10", 5, DayUnit.Business, "2026-01-16")]
    // Mon 5 Jan 2026: Tue 6–Fri 9 (4), Mon 12–Fri 16 (9), Mon 19 (10); crosses two weekends.
    [InlineData("CA", "2026-01-05", 10, DayUnit.Business, "2026-01-19")]
    // Easter 2026 is Sun 5 Apr: Good Friday 3 Apr, weekend, Easter Monday 6 Apr all skipped -> Tue 7 Apr.
    [InlineData("CA", "2026-04-02", 1, DayUnit.Business, "2026-04-07")]
    // Start on Good Friday itself (3 Apr 2026): Sat, Sun, Easter Monday skipped -> Tue 7 Apr.
    [InlineData("CA", "2026-04-03", 1, DayUnit.Business, "2026-04-07")]
    // Wed 1 Apr 2026: Thu 2 (1), [Good Fri, Sat, Sun, Easter Mon], Tue 7 (2), Wed 8 (3).
    [InlineData("CA", "2026-04-01", 3, DayUnit.Business, "2026-04-08")]
    // Tue 31 Mar 2026 + 3 calendar = Good Friday 3 Apr (holiday followed by weekend and Easter Monday) -> Tue 7 Apr.
    [InlineData("CA", "2026-03-31", 3, DayUnit.CalendarRolling, "2026-04-07")]
    // Same period counted in plain calendar days is not moved off Good Friday.
    [InlineData("CA", "2026-03-31", 3, DayUnit.Calendar, "2026-04-03")]
    // Tue 23 Dec 2025: Wed 24 (1), [Christmas Thu 25, Boxing Day Fri 26, Sat, Sun], Mon 29 (2), Tue 30 (3).
    [InlineData("CA", "2025-12-23", 3, DayUnit.Business, "2025-12-30")]
    // ... continuing: Wed 31 (4), [New Year Thu 1 Jan 2026], Fri 2 Jan (5): crosses the year end.
    [InlineData("CA", "2025-12-23", 5, DayUnit.Business, "2026-01-02")]
    // Mon 22 Dec 2025 + 3 calendar = Christmas Thu 25; Boxing Day Fri 26 and the weekend follow -> Mon 29 Dec.
    [InlineData("CA", "2025-12-22", 3, DayUnit.CalendarRolling, "2025-12-29")]
    // Fri 18 Dec 2026 + 7 calendar = Christmas Fri 25, then the weekend and Boxing Day observed Mon 28 -> Tue 29 Dec.
    [InlineData("CA", "2026-12-18", 7, DayUnit.CalendarRolling, "2026-12-29")]
    // Thu 23 Dec 2027: Fri 24 (1), [Sat 25, Sun 26, Christmas observed Mon 27, Boxing Day observed Tue 28], Wed 29 (2).
    [InlineData("CA", "2027-12-23", 2, DayUnit.Business, "2027-12-29")]
    // Mon 5 Jan 2026 + 5 calendar = Sat 10 Jan -> rolled to Mon 12 Jan.
    [InlineData("CA", "2026-01-05", 5, DayUnit.CalendarRolling, "2026-01-12")]
    // Same period in calendar days stays on Sat 10 Jan.
    [InlineData("CA", "2026-01-05", 5, DayUnit.Calendar, "2026-01-10")]
    // Mon 4 May 2026 + 14 calendar = Victoria Day Mon 18 May (holiday Monday) -> Tue 19 May.
    [InlineData("CA", "2026-05-04", 14, DayUnit.CalendarRolling, "2026-05-19")]
    // Fri 8 May 2026 + 9 calendar = Sun 17 May; Victoria Day Mon 18 May follows -> Tue 19 May.
    [InlineData("CA", "2026-05-08", 9, DayUnit.CalendarRolling, "2026-05-19")]
    // Tue 29 Sep 2026: [Truth and Reconciliation Wed 30 Sep], Thu 1–Fri 2 Oct (2), Mon 5–Fri 9 (7),
    // [Thanksgiving Mon 12 Oct], Tue 13 (8), Wed 14 (9), Thu 15 (10).
    [InlineData("CA", "2026-09-29", 10, DayUnit.Business, "2026-10-15")]
    // 45-calendar-day Canadian period: Fri 9 Jan 2026 + 45 = 9 + 45 - 31 = Feb 23 (a Monday).
    [InlineData("CA", "2026-01-09", 45, DayUnit.Calendar, "2026-02-23")]
    // Wed 19 Nov 2025 + 45: 11 days to 30 Nov, 31 in Dec (42), then 3 Jan 2026, a Saturday; calendar days do not roll.
    [InlineData("CA", "2025-11-19", 45, DayUnit.Calendar, "2026-01-03")]
    // Same 45-day period rolling: Sat 3 Jan 2026 -> Mon 5 Jan.
    [InlineData("CA", "2025-11-19", 45, DayUnit.CalendarRolling, "2026-01-05")]
    // Zero business days is the start itself, even on a Saturday.
    [InlineData("CA", "2026-01-10", 0, DayUnit.Business, "2026-01-10")]
    // Zero calendar days is the start itself.
    [InlineData("CA", "2026-01-10", 0, DayUnit.Calendar, "2026-01-10")]
    // Zero rolling days: the due date is the start, Sat 10 Jan 2026, which rolls to Mon 12 Jan.
    [InlineData("CA", "2026-01-10", 0, DayUnit.CalendarRolling, "2026-01-12")]
    // Leap year: Sun 27 Feb 2028 + 3 calendar = Mon 28, Tue 29 Feb, Wed 1 Mar.
    [InlineData("CA", "2028-02-27", 3, DayUnit.Calendar, "2028-03-01")]
    // Leap year: Fri 25 Feb 2028: Mon 28 (1), Tue 29 Feb (2).
    [InlineData("CA", "2028-02-25", 2, DayUnit.Business, "2028-02-29")]
    // Leap year: Sun 30 Jan 2028 + 30 calendar = Tue 29 Feb 2028 (a business day, so no roll).
    [InlineData("CA", "2028-01-30", 30, DayUnit.CalendarRolling, "2028-02-29")]
    // Fri 24 Dec 2027 + 8 calendar = Sat 1 Jan 2028; Sun 2, then New Year observed Mon 3 Jan -> Tue 4 Jan 2028.
    [InlineData("CA", "2027-12-24", 8, DayUnit.CalendarRolling, "2028-01-04")]
    // ---- Mexico (LFT art. 74 defaults) ----
    // Mon 5 Jan 2026: Tue 6–Fri 9 (4), three full weeks (19), [Constitution Day Mon 2 Feb], Tue 3–Fri 6 Feb (23),
    // four full weeks (43), Mon 9 Mar (44), Tue 10 Mar (45).
    [InlineData("MX", "2026-01-05", 45, DayUnit.Business, "2026-03-10")]
    // 45-business-day Mexican period crossing both movable Mondays: Mon 19 Jan 2026: Tue 20–Fri 23 (4), Mon 26–Fri 30 (9),
    // [Mon 2 Feb], Tue 3–Fri 6 (13), four full weeks to Fri 6 Mar (33), Mon 9–Fri 13 (38), [Benito Juárez Mon 16 Mar],
    // Tue 17–Fri 20 (42), Mon 23 (43), Tue 24 (44), Wed 25 Mar (45).
    [InlineData("MX", "2026-01-19", 45, DayUnit.Business, "2026-03-25")]
    // Fri 30 Jan 2026 + 1 business: weekend and Constitution Day (first Monday of Feb, 2 Feb) skipped -> Tue 3 Feb.
    [InlineData("MX", "2026-01-30", 1, DayUnit.Business, "2026-02-03")]
    // Mon 2 Mar 2026 + 14 calendar = Mon 16 Mar, Benito Juárez (third Monday of March) -> Tue 17 Mar.
    [InlineData("MX", "2026-03-02", 14, DayUnit.CalendarRolling, "2026-03-17")]
    // Sat 7 Nov 2026 + 7 calendar = Sat 14 Nov; Sun 15, then Revolution Day (third Monday of Nov) Mon 16 -> Tue 17 Nov.
    [InlineData("MX", "2026-11-07", 7, DayUnit.CalendarRolling, "2026-11-17")]
    // Sun 1 Nov 2026 + 15 calendar = Mon 16 Nov, a holiday, but calendar days do not roll.
    [InlineData("MX", "2026-11-01", 15, DayUnit.Calendar, "2026-11-16")]
    // Good Friday (3 Apr 2026) is not an official rest day in Mexico: Thu 2 Apr + 1 business = Fri 3 Apr.
    [InlineData("MX", "2026-04-02", 1, DayUnit.Business, "2026-04-03")]
    // Thu 24 Dec 2026 + 1 business: Christmas Fri 25 and the weekend skipped -> Mon 28 Dec (no Boxing Day in Mexico).
    [InlineData("MX", "2026-12-24", 1, DayUnit.Business, "2026-12-28")]
    // Mon 28 Dec 2026 + 4 calendar = New Year Fri 1 Jan 2027 (a holiday followed by a weekend) -> Mon 4 Jan 2027.
    [InlineData("MX", "2026-12-28", 4, DayUnit.CalendarRolling, "2027-01-04")]
    // Labour Day 2027 is Sat 1 May and is not moved: Fri 30 Apr + 1 business = Mon 3 May.
    [InlineData("MX", "2027-04-30", 1, DayUnit.Business, "2027-05-03")]
    // 2030 is an inauguration year: Mon 30 Sep + 1 business skips Tue 1 Oct -> Wed 2 Oct.
    [InlineData("MX", "2030-09-30", 1, DayUnit.Business, "2030-10-02")]
    // Thu 26 Sep 2030 + 5 calendar = Tue 1 Oct 2030 (inauguration) -> Wed 2 Oct.
    [InlineData("MX", "2030-09-26", 5, DayUnit.CalendarRolling, "2030-10-02")]
    // Thu 3 Feb 2028: Fri 4 (1), [Sat, Sun, Constitution Day Mon 7 Feb 2028], Tue 8 (2).
    [InlineData("MX", "2028-02-03", 2, DayUnit.Business, "2028-02-08")]
    // Leap year: Fri 25 Feb 2028: Mon 28 (1), Tue 29 Feb (2), Wed 1 Mar (3).
    [InlineData("MX", "2028-02-25", 3, DayUnit.Business, "2028-03-01")]
    // Zero business days is the start itself.
    [InlineData("MX", "2028-03-17", 0, DayUnit.Business, "2028-03-17")]
    // ---- Plain Saturday/Sunday calendar with hand-made holidays ----
    // Thu 3 Jul 2025: [holiday Fri 4, Sat, Sun, holiday Mon 7] -> Tue 8 Jul.
    [InlineData("PLAIN", "2025-07-03", 1, DayUnit.Business, "2025-07-08")]
    // Wed 2 Jul 2025 + 2 calendar = holiday Fri 4 Jul; weekend, holiday Mon 7 -> Tue 8 Jul.
    [InlineData("PLAIN", "2025-07-02", 2, DayUnit.CalendarRolling, "2025-07-08")]
    // Same period in calendar days stays on the holiday.
    [InlineData("PLAIN", "2025-07-02", 2, DayUnit.Calendar, "2025-07-04")]
    // Mon 22 Dec 2025: Tue 23 (1), [Wed 24–Fri 26, weekend], Mon 29–Wed 31 (4), [Thu 1 Jan], Fri 2 Jan (5),
    // Mon 5–Fri 9 Jan 2026 (10).
    [InlineData("PLAIN", "2025-12-22", 10, DayUnit.Business, "2026-01-09")]
    // Start on a Saturday that is also a holiday (15 Nov 2025): Mon 17 Nov is day 1.
    [InlineData("PLAIN", "2025-11-15", 1, DayUnit.Business, "2025-11-17")]
    // Fri 14 Nov 2025 + 2 calendar = Sun 16 Nov -> Mon 17 Nov.
    [InlineData("PLAIN", "2025-11-14", 2, DayUnit.CalendarRolling, "2025-11-17")]
    // Zero business days from a holiday is the holiday itself.
    [InlineData("PLAIN", "2025-12-25", 0, DayUnit.Business, "2025-12-25")]
    // Sat 20 Dec 2025 + 14 calendar = Sat 3 Jan 2026 (across the year end, no roll).
    [InlineData("PLAIN", "2025-12-20", 14, DayUnit.Calendar, "2026-01-03")]
    // Fri 31 Oct 2025: Mon 3–Fri 7 Nov are days 1..5.
    [InlineData("PLAIN", "2025-10-31", 5, DayUnit.Business, "2025-11-07")]
    // Fri 19 Dec 2025 + 5 calendar = Wed 24 Dec holiday; Thu 25, Fri 26 holidays, weekend -> Mon 29 Dec.
    [InlineData("PLAIN", "2025-12-19", 5, DayUnit.CalendarRolling, "2025-12-29")]
    public void AddDaysGivesTheHandWorkedDueDate(string calendar, string start, int days, DayUnit unit, string expected)
    {
        var due = TestCalendars.Get(calendar).AddDays(TestCalendars.Date(start), days, unit);

        Assert.Equal(TestCalendars.Date(expected), due);
    }

    [Theory]
    // Thu 2 Apr 2026 to Tue 7 Apr 2026 in Canada: only Tue 7 counts (Good Friday, weekend, Easter Monday do not).
    [InlineData("CA", "2026-04-02", "2026-04-07", DayUnit.Business, 1)]
    // The same range in Mexico: Fri 3 Apr, Mon 6, Tue 7.
    [InlineData("MX", "2026-04-02", "2026-04-07", DayUnit.Business, 3)]
    // (Mon 5 Jan, Fri 9 Jan 2026]: the start is excluded, the end included -> Tue..Fri = 4.
    [InlineData("CA", "2026-01-05", "2026-01-09", DayUnit.Business, 4)]
    // Fri 9 Jan to Mon 12 Jan 2026: only Monday counts.
    [InlineData("CA", "2026-01-09", "2026-01-12", DayUnit.Business, 1)]
    // Sat 10 to Sun 11 Jan 2026: no business day.
    [InlineData("CA", "2026-01-10", "2026-01-11", DayUnit.Business, 0)]
    // Tue 23 Dec 2025 to Fri 2 Jan 2026 in Canada: Wed 24, Mon 29, Tue 30, Wed 31, Fri 2 = 5.
    [InlineData("CA", "2025-12-23", "2026-01-02", DayUnit.Business, 5)]
    // Mon 22 Dec 2025 to Fri 9 Jan 2026 on the plain calendar: 10 (see the AddDays table).
    [InlineData("PLAIN", "2025-12-22", "2026-01-09", DayUnit.Business, 10)]
    // Mon 19 Jan 2026 to Wed 25 Mar 2026 in Mexico: 45 (see the AddDays table).
    [InlineData("MX", "2026-01-19", "2026-03-25", DayUnit.Business, 45)]
    // Leap year: 28 Feb 2028 to 1 Mar 2028 is 2 calendar days (29 Feb exists).
    [InlineData("CA", "2028-02-28", "2028-03-01", DayUnit.Calendar, 2)]
    // Non-leap year: 28 Feb 2027 to 1 Mar 2027 is 1 calendar day.
    [InlineData("CA", "2027-02-28", "2027-03-01", DayUnit.Calendar, 1)]
    // Whole leap year 2028 (31 Dec 2027 to 31 Dec 2028) is 366 calendar days.
    [InlineData("CA", "2027-12-31", "2028-12-31", DayUnit.Calendar, 366)]
    // Rolling periods consume calendar days: Mon 5 to Mon 12 Jan 2026 is 7, weekends included.
    [InlineData("CA", "2026-01-05", "2026-01-12", DayUnit.CalendarRolling, 7)]
    // Empty range: from == to.
    [InlineData("CA", "2026-04-07", "2026-04-07", DayUnit.Business, 0)]
    [InlineData("CA", "2026-04-07", "2026-04-07", DayUnit.Calendar, 0)]
    // Reversed range counts nothing rather than a negative number.
    [InlineData("CA", "2026-04-07", "2026-04-02", DayUnit.Business, 0)]
    [InlineData("MX", "2026-03-25", "2026-01-19", DayUnit.Calendar, 0)]
    [InlineData("PLAIN", "2026-01-09", "2025-12-22", DayUnit.CalendarRolling, 0)]
    public void CountDaysCountsTheCountedDaysAfterFromUpToAndIncludingTo(string calendar, string from, string to, DayUnit unit, int expected)
    {
        var count = TestCalendars.Get(calendar).CountDays(TestCalendars.Date(from), TestCalendars.Date(to), unit);

        Assert.Equal(expected, count);
    }

    public static TheoryData<string, string> RoundTripStarts => new()
    {
        { "CA", "2025-12-19" },    // Friday before Christmas
        { "CA", "2026-03-28" },    // Saturday before Holy Week
        { "CA", "2026-04-03" },    // Good Friday
        { "CA", "2027-12-24" },    // Friday before Christmas observed on Monday
        { "CA", "2028-02-26" },    // Saturday before 29 Feb 2028
        { "MX", "2026-01-31" },    // Saturday before Constitution Day
        { "MX", "2026-11-13" },    // Friday before Revolution Day
        { "MX", "2030-09-28" },    // Saturday before the 2030 inauguration day
        { "PLAIN", "2025-07-03" }, // Thursday before the Fri/Mon holiday sandwich
        { "PLAIN", "2025-11-15" }, // Saturday holiday
        { "PLAIN", "2025-12-21" }, // Sunday before the Christmas run
    };

    [Theory]
    [MemberData(nameof(RoundTripStarts))]
    public void CountDaysOfABusinessPeriodEqualsItsLength(string calendar, string start)
    {
        var cal = TestCalendars.Get(calendar);
        var from = TestCalendars.Date(start);

        foreach (var n in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 14, 15, 20, 30, 45, 60, 90, 120, 250 })
        {
            var due = cal.AddDays(from, n, DayUnit.Business);

            Assert.Equal(n, cal.CountDays(from, due, DayUnit.Business));
            // A business due date is never a non-business day (except the start itself for zero days).
            if (n > 0)
            {
                Assert.False(cal.IsNonBusinessDay(due), $"{calendar} {start} + {n} business landed on non-business day {due:yyyy-MM-dd}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RoundTripStarts))]
    public void CountDaysOfACalendarPeriodEqualsItsLengthAndRollingNeverEndsEarlier(string calendar, string start)
    {
        var cal = TestCalendars.Get(calendar);
        var from = TestCalendars.Date(start);

        foreach (var n in new[] { 0, 1, 2, 3, 7, 10, 30, 45, 60, 90, 365 })
        {
            var calendarDue = cal.AddDays(from, n, DayUnit.Calendar);
            var rollingDue = cal.AddDays(from, n, DayUnit.CalendarRolling);

            Assert.Equal(n, cal.CountDays(from, calendarDue, DayUnit.Calendar));
            Assert.True(rollingDue >= calendarDue);
            Assert.False(cal.IsNonBusinessDay(rollingDue));
            // Rolling only ever skips non-business days between the raw due date and the rolled one.
            for (var d = calendarDue; d < rollingDue; d = d.AddDays(1))
            {
                Assert.True(cal.IsNonBusinessDay(d));
            }
        }
    }
}
