using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Jobs;

/// <summary>
/// POST /api/admin/clock/advance (simulated time). Only one test moves the clock and none of the others depends
/// on the date, so the class shares one host.
/// </summary>
public sealed class ClockAdvanceTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AnAdminMovesSimulatedTimeForwardAndTheOffsetIsStored()
    {
        var admin = factory.As(ScreeningFactory.Admin);
        var before = await admin.Get("/api/admin/clock").Ok();
        Assert.Equal("2027-01-04T15:00:00Z", before.S("now"));

        var body = (await admin.RawPost("/api/admin/clock/advance", new { days = 2, minutes = 720 })).AssertSuccess();

        Assert.Equal("2027-01-07T03:00:00Z", body.S("now"));
        Assert.Equal(0, body["timersFired"]!.GetValue<int>());
        Assert.Equal("2027-01-07T03:00:00Z", (await admin.Get("/api/admin/clock").Ok()).S("now"));
        var stored = await factory.QueryAsync(db => db.SimulatedClock.AsNoTracking().SingleAsync());
        Assert.Equal(TimeSpan.FromDays(2.5).Ticks, stored.OffsetTicks);
        var advanced = Assert.Single(await factory.StoredEventsAsync("clock.advanced"));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Admin), advanced.Entry.Actor);
        Assert.Equal(new DateTime(2027, 1, 7, 3, 0, 0), advanced.Entry.At);
    }

    [Theory]
    [InlineData("{\"days\": 0}")]
    [InlineData("{\"days\": -1}")]
    [InlineData("{\"days\": 3661}")]
    [InlineData("{\"days\": 0.5}")]
    [InlineData("{\"days\": 2.5}")]
    [InlineData("{\"days\": 0, \"minutes\": 0}")]
    [InlineData("{}")]
    public async Task AnAdvanceOutOfRangeIs400AndTimeStands(string body)
    {
        var before = await ClockRowAsync();
        var audit = await factory.AuditCountAsync();

        (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Post, "/api/admin/clock/advance", body)).AssertValidation("$.days");

        Assert.Equal(before, await ClockRowAsync());
        Assert.Equal(audit, await factory.AuditCountAsync());
    }

    [Fact]
    public async Task AFractionOfAMinuteIs400AtMinutes()
    {
        var before = await ClockRowAsync();

        var errors = (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Post, "/api/admin/clock/advance", "{\"days\": 0, \"minutes\": 1.5}")).AssertValidation("$.minutes");

        Assert.Single(errors);
        Assert.Equal(before, await ClockRowAsync());
    }

    [Theory]
    [InlineData("{\"days\": ")]
    [InlineData("{\"days\": \"a week\"}")]
    public async Task AnAdvanceBodyOfTheWrongShapeIs400(string body)
    {
        var before = await ClockRowAsync();

        (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Post, "/api/admin/clock/advance", body)).AssertValidation();

        Assert.Equal(before, await ClockRowAsync());
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.DecisionMx)]
    [InlineData(ScreeningFactory.Applicant)]
    public async Task OnlyAnAdminMovesTheClock403(string user)
    {
        var before = await ClockRowAsync();

        (await factory.As(user).RawPost("/api/admin/clock/advance", new { days = 30 })).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal(before, await ClockRowAsync());
    }

    [Fact]
    public async Task MovingTheClockWithoutATokenIs401()
    {
        var before = await ClockRowAsync();

        (await factory.Anonymous().RawPost("/api/admin/clock/advance", new { days = 30 })).AssertProblem(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await ClockRowAsync());
    }

    private Task<string> ClockRowAsync() => factory.QueryAsync(async db =>
        $"{await db.SimulatedClock.Select(c => c.OffsetTicks).FirstOrDefaultAsync()}|{await db.Audit.CountAsync(a => a.Action == "clock.advanced")}");
}
