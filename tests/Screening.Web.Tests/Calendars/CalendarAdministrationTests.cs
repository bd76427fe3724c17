using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Calendars;

/// <summary>
/// PUT /api/calendars/{code}: an admin replaces a year's holidays or creates a calendar, and later due dates
/// follow. The tests touch years and codes no other test here reads, so the class shares one host.
/// </summary>
public sealed class CalendarAdministrationTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AnAdminReplacesOneYearsHolidaysAndLaterDueDatesFollowThem()
    {
        var anonymous = factory.Anonymous();
        var before = await anonymous.Get("/api/calendars/CA/due-date?start=2031-03-03&days=3&unit=business").Ok();
        Assert.Equal("2031-03-06", before.S("dueDate"));
        var year2030 = (await anonymous.Get("/api/calendars/CA?year=2030").Ok())["holidays"]!.ToJsonString();

        var response = await factory.As(ScreeningFactory.Admin).RawPut("/api/calendars/CA",
            new { code = "CA", weekend = new[] { 6, 0 }, holidays = new[] { "2031-12-25", "2031-03-05", "2031-07-01" } });

        var body = response.AssertSuccess();
        Assert.Equal("CA", body.S("code"));
        Assert.Equal(["2031-03-05", "2031-07-01", "2031-12-25"], body["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        var year2031 = await anonymous.Get("/api/calendars/CA?year=2031").Ok();
        Assert.Equal(["2031-03-05", "2031-07-01", "2031-12-25"], year2031["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        Assert.Equal(year2030, (await anonymous.Get("/api/calendars/CA?year=2030").Ok())["holidays"]!.ToJsonString());
        var after = await anonymous.Get("/api/calendars/CA/due-date?start=2031-03-03&days=3&unit=business").Ok();
        Assert.Equal("2031-03-07", after.S("dueDate"));
        var stored = await factory.QueryAsync(db => db.Holidays.AsNoTracking()
            .Where(h => h.CalendarCode == "CA" && h.Date >= new DateOnly(2031, 1, 1) && h.Date <= new DateOnly(2031, 12, 31)).Select(h => h.Date).ToListAsync());
        Assert.Equal([new DateOnly(2031, 3, 5), new DateOnly(2031, 7, 1), new DateOnly(2031, 12, 25)], stored.Order());
        var replaced = Assert.Single(await factory.StoredEventsAsync("calendar.replaced"), a => a.Data["code"]!.GetValue<string>() == "CA");
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Admin), replaced.Entry.Actor);
    }

    [Fact]
    public async Task AnAdminCreatesACalendarWithItsOwnWeekend()
    {
        var response = await factory.As(ScreeningFactory.Admin).RawPut("/api/calendars/QA",
            new { name = "Qatar-style week", weekend = new[] { 5, 6 }, holidays = new[] { "2027-01-01" }, timeZone = "UTC" });

        var body = response.AssertSuccess();
        Assert.Equal(("QA", "Qatar-style week"), (body.S("code"), body.S("name")));
        Assert.Equal([5, 6], body["weekend"]!.AsArray().Select(d => d!.GetValue<int>()).Order());
        var read = await factory.Anonymous().Get("/api/calendars/QA?year=2027").Ok();
        Assert.Equal(["2027-01-01"], read["holidays"]!.AsArray().Select(h => h!.GetValue<string>()));
        // Wednesday 6 January 2027: day 1 is Thursday, Friday and Saturday are the weekend, day 2 is Sunday.
        var due = await factory.Anonymous().Get("/api/calendars/QA/due-date?start=2027-01-06&days=2&unit=business").Ok();
        Assert.Equal("2027-01-10", due.S("dueDate"));
        var stored = await factory.QueryAsync(db => db.Calendars.AsNoTracking().Include(c => c.Holidays).SingleAsync(c => c.Code == "QA"));
        Assert.Equal(("Qatar-style week", "5,6", "UTC"), (stored.Name, stored.Weekend, stored.TimeZone));
        Assert.Equal([new DateOnly(2027, 1, 1)], stored.Holidays.Select(h => h.Date));
        Assert.Contains((await factory.Anonymous().Get("/api/calendars").Ok()).AsArray(), c => c.S("code") == "QA");
    }

    [Theory]
    [InlineData("{\"weekend\": [7], \"holidays\": []}", "$.weekend")]
    [InlineData("{\"weekend\": [-1], \"holidays\": []}", "$.weekend")]
    [InlineData("{\"weekend\": [6, 6], \"holidays\": []}", "$.weekend")]
    [InlineData("{\"weekend\": [0, 1, 2, 3, 4, 5, 6], \"holidays\": []}", "$.weekend")]
    [InlineData("{\"weekend\": [6, 0], \"holidays\": [\"2027-13-01\"]}", "$.holidays[0]")]
    [InlineData("{\"weekend\": [6, 0], \"holidays\": [\"2027-01-01\", \"1 July\"]}", "$.holidays[1]")]
    [InlineData("{\"weekend\": [6, 0]}", "$.holidays")]
    [InlineData("{\"code\": \"MX\", \"weekend\": [6, 0], \"holidays\": []}", "$.code")]
    [InlineData("{\"weekend\": [6, 0], \"holidays\": [], \"timeZone\": \"Mars/Olympus_Mons\"}", "$.timeZone")]
    public async Task ABadCalendarIs400WithThePathOfTheBadFieldAndNothingChanges(string body, string path)
    {
        var before = await SnapshotAsync();

        (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Put, "/api/calendars/CA", body)).AssertValidation(path);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("ca")]
    [InlineData("C")]
    [InlineData("TOOLONGCODE")]
    public async Task ABadCalendarCodeIs400(string code)
    {
        var before = await SnapshotAsync();

        (await factory.As(ScreeningFactory.Admin).RawPut($"/api/calendars/{code}", new { weekend = new[] { 6, 0 }, holidays = Array.Empty<string>() }))
            .AssertValidation("code");

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("{\"weekend\": [6, 0], \"holidays\": [")]
    [InlineData("{\"weekend\": \"weekends\", \"holidays\": []}")]
    public async Task ACalendarBodyOfTheWrongShapeIs400(string body)
    {
        var before = await SnapshotAsync();

        (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Put, "/api/calendars/CA", body)).AssertValidation();

        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.DecisionMx)]
    [InlineData(ScreeningFactory.Applicant)]
    public async Task OnlyAnAdminChangesACalendar403(string user)
    {
        var before = await SnapshotAsync();

        (await factory.As(user).RawPut("/api/calendars/CA", new { weekend = new[] { 6, 0 }, holidays = new[] { "2032-01-02" } }))
            .AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ChangingACalendarWithoutATokenIs401()
    {
        var before = await SnapshotAsync();

        (await factory.Anonymous().RawPut("/api/calendars/CA", new { weekend = new[] { 6, 0 }, holidays = new[] { "2032-01-02" } }))
            .AssertProblem(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await SnapshotAsync());
    }

    /// <summary>Every calendar with its weekend and holiday count, and the number of calendar changes audited.</summary>
    private Task<string> SnapshotAsync() => factory.QueryAsync(async db =>
    {
        var calendars = await db.Calendars.AsNoTracking().OrderBy(c => c.Code)
            .Select(c => $"{c.Code}:{c.Name}:{c.Weekend}:{c.TimeZone}:{c.Holidays.Count}").ToListAsync();
        var changes = await db.Audit.CountAsync(a => a.Action == "calendar.replaced");
        return string.Join("|", calendars) + $"|changes={changes}";
    });
}
