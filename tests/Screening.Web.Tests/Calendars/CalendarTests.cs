using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Calendars;

/// <summary>
/// Reading calendars and computing due dates against hand-computed dates. Nothing here changes a calendar or
/// moves the clock, so the class shares one host.
/// </summary>
public sealed class CalendarTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task CanadasHolidaysOf2027AreTheFederalOnesAsObserved()
    {
        var calendar = (await factory.Anonymous().RawGet("/api/calendars/CA?year=2027")).AssertSuccess();

        string[] expected =
        [
            "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-24", "2027-07-01", "2027-08-02",
            "2027-09-06", "2027-09-30", "2027-10-11", "2027-11-11", "2027-12-27", "2027-12-28",
        ];
        Assert.Equal("CA", calendar.S("code"));
        Assert.Equal([6, 0], calendar["weekend"]!.AsArray().Select(d => d!.GetValue<int>()));
        var holidays = calendar["holidays"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Equal(expected, holidays);
        Assert.Contains("2027-07-01", holidays);
        Assert.Contains("2027-12-28", holidays); // Boxing Day, observed after Christmas observed on Monday 27
        var stored = await factory.QueryAsync(db => db.Holidays.AsNoTracking()
            .Where(h => h.CalendarCode == "CA" && h.Date >= new DateOnly(2027, 1, 1) && h.Date <= new DateOnly(2027, 12, 31) && (h.Kind & 1) == 1).Select(h => h.Date).ToListAsync());
        Assert.Equal(expected, stored.Order().Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // The Interpretation Act's s. 35 holidays differ from the days off: Christmas on its own date (a Saturday in
        // 2027), no Civic Holiday, no Boxing Day; Sundays are legal holidays every week, Saturdays are not.
        var legal = calendar["legalHolidays"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.Equal(["2027-01-01", "2027-03-26", "2027-03-29", "2027-05-24", "2027-07-01", "2027-09-06", "2027-09-30", "2027-10-11", "2027-11-11", "2027-12-25"], legal);
        Assert.Equal([0], calendar["legalWeekdays"]!.AsArray().Select(d => d!.GetValue<int>()));
        var named = calendar["named"]!.AsArray();
        Assert.Contains(named, h => h.S("date") == "2027-12-28" && h.S("name") == "Boxing Day" && h.S("kind") == "non-business");
        Assert.Contains(named, h => h.S("date") == "2027-09-30" && h.S("name") == "National Day for Truth and Reconciliation" && h.S("kind") == "both");
    }

    [Fact]
    public async Task MexicosRestDaysOf2027IncludeTheMondaysTheLawMovesThemTo()
    {
        var calendar = (await factory.As(ScreeningFactory.OfficerMx).RawGet("/api/calendars/MX?year=2027")).AssertSuccess();

        Assert.Equal("MX", calendar.S("code"));
        Assert.Equal([6, 0], calendar["weekend"]!.AsArray().Select(d => d!.GetValue<int>()));
        Assert.Equal(
            ["2027-01-01", "2027-02-01", "2027-03-15", "2027-05-01", "2027-09-16", "2027-11-15", "2027-12-25"],
            calendar["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
    }

    [Fact]
    public async Task TheListHoldsBothJurisdictionsWithTheHolidaysOfThisYearAndTheNext()
    {
        var list = (await factory.Anonymous().RawGet("/api/calendars")).AssertSuccess().AsArray();

        var ca = Assert.Single(list, c => c.S("code") == "CA")!;
        var mx = Assert.Single(list, c => c.S("code") == "MX")!;
        var caHolidays = ca["holidays"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        Assert.All(caHolidays, h => Assert.True(h.StartsWith("2027-", StringComparison.Ordinal) || h.StartsWith("2028-", StringComparison.Ordinal), h));
        Assert.Contains("2027-12-28", caHolidays);
        Assert.Contains("2028-07-03", caHolidays); // Canada Day 2028 falls on a Saturday
        Assert.Contains("2028-11-20", mx["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        var byDefault = (await factory.Anonymous().RawGet("/api/calendars/CA")).AssertSuccess();
        Assert.Equal(caHolidays, byDefault["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(await factory.QueryAsync(db => db.Calendars.CountAsync()), list.Count);
    }

    [Fact]
    public async Task AnUnknownCalendarIs404()
    {
        (await factory.Anonymous().RawGet("/api/calendars/ZZ?year=2027")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.Anonymous().RawGet("/api/calendars/ZZ/due-date?start=2027-01-04&days=5&unit=business")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("1800")]
    [InlineData("2201")]
    public async Task AYearOutOfRangeIs400(string year)
    {
        (await factory.Anonymous().RawGet($"/api/calendars/CA?year={year}")).AssertValidation("year");
    }

    [Theory]
    [InlineData("CA", "2027-01-04", 45, "calendar", "2027-02-18")] // the 45-day initial window
    [InlineData("CA", "2027-01-04", 45, "business", "2027-03-08")] // no federal holiday from January to March
    [InlineData("CA", "2027-06-28", 5, "business", "2027-07-06")] // Canada Day and a weekend skipped
    [InlineData("CA", "2027-12-20", 5, "business", "2027-12-29")] // Christmas and Boxing Day observed on 27 and 28
    [InlineData("CA", "2027-06-01", 30, "calendar-rolling", "2027-07-02")] // lands on Canada Day, rolls to Friday
    [InlineData("CA", "2027-12-01", 24, "calendar-rolling", "2027-12-29")] // lands on Saturday 25, rolls past 26, 27, 28
    [InlineData("CA", "2027-01-09", 1, "business", "2027-01-11")] // a Saturday start: day 1 is Monday
    [InlineData("CA", "2027-01-04", 0, "business", "2027-01-04")] // zero days is the start
    [InlineData("MX", "2027-01-04", 45, "business", "2027-03-09")] // Mexico's 45 business days, 1 February skipped
    [InlineData("MX", "2027-01-04", 45, "calendar", "2027-02-18")]
    [InlineData("MX", "2027-03-12", 1, "business", "2027-03-16")] // weekend then Benito Juárez's day
    [InlineData("MX", "2027-01-30", 2, "calendar-rolling", "2027-02-02")] // lands on Constitution Day
    public async Task TheDueDateCountsDaysInTheCalendarsUnit(string code, string start, int days, string unit, string expected)
    {
        var response = await factory.Anonymous().RawGet($"/api/calendars/{code}/due-date?start={start}&days={days}&unit={unit}");

        var body = response.AssertSuccess();
        Assert.Equal(expected, body.S("dueDate"));
        Assert.Equal((unit, days, start), (body.S("unit"), body["days"]!.GetValue<int>(), body.S("start")));
    }

    [Theory]
    [InlineData("start=2027-01-04&days=45&unit=weeks", "unit")]
    [InlineData("start=2027-01-04&days=-1&unit=business", "days")]
    [InlineData("start=2027-01-04&days=3661&unit=calendar", "days")]
    [InlineData("start=2027-01-04&days=many&unit=calendar", "days")]
    [InlineData("start=2027-01-04&unit=calendar", "days")]
    [InlineData("start=2027-02-30&days=5&unit=calendar", "start")]
    [InlineData("start=04/01/2027&days=5&unit=calendar", "start")]
    [InlineData("days=5&unit=calendar", "start")]
    public async Task ABadDueDateQueryIs400NamingTheParameter(string query, string key)
    {
        (await factory.Anonymous().RawGet($"/api/calendars/CA/due-date?{query}")).AssertValidation(key);
    }

    [Fact]
    public async Task EveryBadDueDateParameterIsReportedAtOnce()
    {
        var errors = (await factory.Anonymous().RawGet("/api/calendars/MX/due-date?start=yesterday&days=x&unit=weeks")).AssertValidation("start", "days", "unit");

        Assert.Equal(3, errors.Count);
    }
}
