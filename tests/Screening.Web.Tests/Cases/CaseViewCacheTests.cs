using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// A case view is kept between reads: every change to the case shows on the next read, the clocks move with
/// time even when nothing else changes, and a kept view never reaches someone who may not read the case.
/// </summary>
public sealed class CaseViewCacheTests
{
    [Fact]
    public async Task EveryChangeShowsOnTheNextReadAndTheClocksMoveWithTime()
    {
        using var factory = new ScreeningFactory();
        var steps = new CaseSteps(factory);
        var id = await steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);
        var officer = factory.As(ScreeningFactory.OfficerCa);

        Assert.Equal("submitted", (await applicant.Get($"/api/cases/{id}").Ok()).S("status"));
        Assert.Equal("open", Task(await officer.Get($"/api/cases/{id}").Ok(), "intake-review").S("status"));

        await officer.Post($"/api/cases/{id}/notes", new { text = "Ownership chart received.", restricted = false }).Ok(HttpStatusCode.Created);
        var noted = await officer.Get($"/api/cases/{id}").Ok();
        Assert.Equal(["Ownership chart received."], noted["notes"]!.AsArray().Select(n => n.S("text")));

        var taskId = await steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "intake-review");
        var claimed = Task(await officer.Get($"/api/cases/{id}").Ok(), "intake-review");
        Assert.Equal(("claimed", false), (claimed.S("status"), claimed["assignee"] is null));

        await officer.Post($"/api/tasks/{taskId}/complete", new { outcome = "certify", conditions = Array.Empty<object>() }).Ok();
        var certified = await applicant.Get($"/api/cases/{id}").Ok();
        Assert.Equal("in-review", certified.S("status"));
        var clock = Assert.Single(certified["clocks"]!.AsArray())!;
        Assert.Equal(45, clock["remainingDays"]!.GetValue<int>());
        Assert.Contains(certified["timeline"]!.AsArray(), e => e.S("kind") != "submitted");

        // Nothing about the case changes; time passes. The clock is computed at each read.
        factory.Time.Advance(TimeSpan.FromDays(3));
        var later = await applicant.Get($"/api/cases/{id}").Ok();
        Assert.Equal(42, later["clocks"]![0]!["remainingDays"]!.GetValue<int>());
        Assert.Equal(certified["timeline"]!.ToJsonString(), later["timeline"]!.ToJsonString());
    }

    [Fact]
    public async Task AKeptViewNeverReachesSomeoneWhoMayNotReadItOrAnotherAudience()
    {
        using var factory = new ScreeningFactory();
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/cases/{id}/notes", new { text = "Restricted to Canada.", restricted = true }).Ok(HttpStatusCode.Created);

        var official = await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}").Ok();
        Assert.Single(official["notes"]!.AsArray());
        var own = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();

        Assert.Null(own["notes"]);
        Assert.Null(own["tasks"]);
        Assert.Null(own["riskLevel"]);
        (await factory.As(ScreeningFactory.OtherApplicant).RawGet($"/api/cases/{id}")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{id}")).AssertProblem(HttpStatusCode.NotFound);
        Assert.Equal(official.ToJsonString(), (await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}").Ok()).ToJsonString());
        Assert.Equal(own.ToJsonString(), (await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok()).ToJsonString());
    }

    [Fact]
    public async Task AnAdministratorsHolidayMovesTheDueDateOnTheNextRead()
    {
        using var factory = new ScreeningFactory();
        var id = await new CaseSteps(factory).FileCertifiedAsync(Scenario.LowRiskMx());
        var applicant = factory.As(ScreeningFactory.Applicant);
        var before = await applicant.Get($"/api/cases/{id}").Ok();
        var clock = before["clocks"]!.AsArray().Single(c => c.S("unit") == "business")!;
        Assert.Equal("2027-03-09", clock.S("dueAt"));
        Assert.Equal(before.ToJsonString(), (await applicant.Get($"/api/cases/{id}").Ok()).ToJsonString());

        var holidays = (await factory.Anonymous().Get("/api/calendars/MX?year=2027").Ok())["holidays"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
        await factory.As(ScreeningFactory.Admin).Put("/api/calendars/MX", new { weekend = new[] { 6, 0 }, holidays = holidays.Append("2027-02-10").ToArray() }).Ok();

        var after = await applicant.Get($"/api/cases/{id}").Ok();
        Assert.Equal("2027-03-10", after["clocks"]!.AsArray().Single(c => c.S("unit") == "business")!.S("dueAt"));

        // The running clock took the change: its expiry moved to the end of 10 March, and the case's own trail says so.
        var timer = await factory.QueryAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == Guid.Parse(id) && t.Kind == "ClockExpiry" && t.State == TimerStates.Pending));
        Assert.Equal(new DateTime(2027, 3, 11, 6, 0, 0, DateTimeKind.Utc), DateTime.SpecifyKind(timer.DueAt, DateTimeKind.Utc));
        var recount = Assert.Single(await factory.StoredEventsAsync("calendar.clocks-recounted", id));
        Assert.Contains("last day 2027-03-09 moved to 2027-03-10", recount.Entry.DataJson, StringComparison.Ordinal);
    }

    private static JsonNode Task(JsonNode view, string step) => view["tasks"]!.AsArray().Single(t => t.S("step") == step)!;
}
