using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;

namespace Screening.Workflows.Tests.Clocks;

public class StatutoryClockTests
{
    private static readonly BusinessCalendar Mexico = HolidayDefaults.CalendarFor("MX", 2026, 2028)!;
    private static readonly BusinessCalendar Canada = HolidayDefaults.CalendarFor("CA", 2026, 2028)!;
    private static readonly DateTimeOffset Monday4Jan = new(2027, 1, 4, 15, 0, 0, TimeSpan.Zero);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    [Fact]
    public void AStoppedClockConsumesNoDaysAndResumingMovesTheDueDate()
    {
        var clock = StatutoryClock.Start("statutory", "CA", Canada, DayUnit.Calendar, 45, Monday4Jan, null);
        Assert.Equal(D("2027-02-18"), clock.DueDate(Canada, D("2027-01-04")));

        Assert.True(clock.Stop(Canada, D("2027-01-14"), "rfi-1"));
        Assert.Equal(35, clock.RemainingDays(Canada, D("2027-01-14")));
        Assert.Equal(35, clock.RemainingDays(Canada, D("2027-02-20")));

        Assert.True(clock.Resume(D("2027-01-24"), "rfi-1"));
        Assert.Equal(35, clock.RemainingDays(Canada, D("2027-01-24")));
        Assert.Equal(34, clock.RemainingDays(Canada, D("2027-01-25")));
        Assert.Equal(D("2027-02-28"), clock.DueDate(Canada, D("2027-01-25")));
    }

    [Fact]
    public void TwoRequestsStopTheClockUntilBothAreAnswered()
    {
        var clock = StatutoryClock.Start("statutory", "MX", Mexico, DayUnit.Business, 45, Monday4Jan, null);
        Assert.True(clock.Stop(Mexico, D("2027-01-11"), "a"));
        Assert.False(clock.Stop(Mexico, D("2027-01-12"), "b"));
        Assert.False(clock.Resume(D("2027-01-20"), "a"));
        Assert.Equal(ClockState.Stopped, clock.State);
        Assert.True(clock.Resume(D("2027-01-25"), "b"));
        Assert.Equal(40, clock.RemainingDays(Mexico, D("2027-01-25"))); // 5 business days (5–11 Jan) were used
    }

    [Fact]
    public void BusinessDaysSkipMexicanHolidaysAndWeekends()
    {
        var clock = StatutoryClock.Start("statutory", "MX", Mexico, DayUnit.Business, 45, Monday4Jan, null);
        Assert.Equal(D("2027-03-09"), clock.DueDate(Mexico, D("2027-01-04")));
        Assert.Equal(45 - 19, clock.RemainingDays(Mexico, D("2027-02-01"))); // 1 Feb is a holiday: 19 business days used
    }

    [Fact]
    public void ExtendingAddsDaysAndCompletingFreezesTheDueDate()
    {
        var clock = StatutoryClock.Start("statutory", "CA", Canada, DayUnit.Calendar, 45, Monday4Jan, null);
        clock.Extend(45);
        Assert.Equal(D("2027-04-04"), clock.DueDate(Canada, D("2027-02-01")));
        clock.Complete(Canada, D("2027-02-01"));
        Assert.Equal(ClockState.Completed, clock.State);
        Assert.Equal(D("2027-04-04"), clock.DueDate(Canada, D("2027-06-01")));
        Assert.Equal(90 - 28, clock.RemainingDays(Canada, D("2027-06-01")));
    }

    [Fact]
    public void ARollingClockMovesADueDateOffAHoliday()
    {
        // Thu 25 Mar 2027 + 1 calendar day = Good Friday (Easter is 28 Mar); the weekend and Easter Monday roll it to Tue 30 Mar.
        var start = new DateTimeOffset(2027, 3, 25, 15, 0, 0, TimeSpan.Zero);
        var clock = StatutoryClock.Start("notice", "CA", Canada, DayUnit.CalendarRolling, 1, start, null);
        Assert.Equal(D("2027-03-30"), clock.DueDate(Canada, D("2027-03-25")));
    }
}
