using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.TwoNodes;

/// <summary>Two nodes of one deployment on one PostgreSQL database, both running job servers.</summary>
public sealed class TwoNodeTests(Deployment deployment) : IClassFixture<Deployment>
{
    [Fact]
    public async Task AWriteAcknowledgedByOneNodeIsReadThroughTheOtherOnTheNextRequest()
    {
        using var applicantA = deployment.As(deployment.A, ScreeningFactory.Applicant);
        using var applicantB = deployment.As(deployment.B, ScreeningFactory.Applicant);
        using var officerA = deployment.As(deployment.A, ScreeningFactory.OfficerCa);
        using var officerB = deployment.As(deployment.B, ScreeningFactory.OfficerCa);

        for (var round = 0; round < 5; round++)
        {
            var id = await Deployment.FileAsync(applicantA);
            var onB = (await applicantB.GetFromJsonAsync<JsonNode>($"/api/cases/{id}"))!;
            Assert.Equal("submitted", onB["status"]!.GetValue<string>());

            // B reads (and may keep) the case and the queue first; then A changes both.
            var task = await Deployment.IntakeTaskAsync(officerB, id);
            var before = (await officerB.GetFromJsonAsync<JsonNode>($"/api/cases/{id}"))!;
            Assert.Equal(HttpStatusCode.OK, (await officerA.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode);

            var available = (await officerB.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=available&caseId={id}"))!;
            Assert.DoesNotContain(available, t => t!["id"]!.GetValue<string>() == task);
            var mine = (await officerB.GetFromJsonAsync<JsonArray>("/api/tasks?scope=mine&pageSize=100"))!;
            Assert.Contains(mine, t => t!["id"]!.GetValue<string>() == task && t["status"]!.GetValue<string>() == "claimed");
            var after = (await officerB.GetFromJsonAsync<JsonNode>($"/api/cases/{id}"))!;
            Assert.NotEqual(before.ToJsonString(), after.ToJsonString());

            using var complete = await officerA.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "certify", comment = "Complete filing." });
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
            var certified = (await applicantB.GetFromJsonAsync<JsonNode>($"/api/cases/{id}"))!;
            Assert.NotEqual("submitted", certified["status"]!.GetValue<string>());
            Assert.NotEmpty(certified["clocks"]!.AsArray());
        }
    }

    [Fact]
    public async Task TwoOfficersClaimingOneTaskThroughDifferentNodesOneWinsTheOtherGets409()
    {
        using var applicant = deployment.As(deployment.A, ScreeningFactory.Applicant);
        using var first = deployment.As(deployment.A, ScreeningFactory.OfficerCa);
        using var second = deployment.As(deployment.B, ScreeningFactory.OfficerCa2);
        var firstId = await UserIdAsync(ScreeningFactory.OfficerCa);
        var secondId = await UserIdAsync(ScreeningFactory.OfficerCa2);

        for (var round = 0; round < 10; round++)
        {
            var id = await Deployment.FileAsync(applicant);
            var task = await Deployment.IntakeTaskAsync(first, id);

            var claims = await Task.WhenAll(first.PostAsync($"/api/tasks/{task}/claim", null), second.PostAsync($"/api/tasks/{task}/claim", null));

            var statuses = claims.Select(c => c.StatusCode).ToList();
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Conflict));
            var winner = statuses[0] == HttpStatusCode.OK ? firstId : secondId;
            await using var db = deployment.Db();
            var stored = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == Guid.Parse(task));
            Assert.Equal((TaskStatuses.Claimed, winner), (stored.Status, stored.Assignee));
            Assert.Single(await db.Audit.AsNoTracking().Where(a => a.Action == "task.claimed" && a.CaseId == Guid.Parse(id)).ToListAsync());
        }
    }

    [Fact]
    public async Task TheAuditChainNeverForksUnderConcurrentWritesThroughBothNodes()
    {
        using var applicantA = deployment.As(deployment.A, ScreeningFactory.Applicant);
        using var applicantB = deployment.As(deployment.B, ScreeningFactory.Applicant);

        var filed = await Task.WhenAll(Enumerable.Range(0, 8).Select(async worker =>
        {
            var client = worker % 2 == 0 ? applicantA : applicantB;
            var ids = new List<string>();
            for (var i = 0; i < 6; i++)
            {
                ids.Add(await Deployment.FileAsync(client));
            }

            return ids;
        }));

        Assert.Equal(48, filed.SelectMany(f => f).Distinct().Count());
        using var adminA = deployment.As(deployment.A, ScreeningFactory.Admin);
        using var adminB = deployment.As(deployment.B, ScreeningFactory.Admin);
        foreach (var admin in new[] { adminA, adminB })
        {
            var verify = (await admin.GetFromJsonAsync<JsonNode>("/api/audit/verify"))!;
            Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
            var consistency = (await admin.GetFromJsonAsync<JsonNode>("/api/admin/consistency"))!;
            Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
        }

        await using var db = deployment.Db();
        var chain = await db.Audit.AsNoTracking().OrderBy(a => a.Seq).Select(a => new { a.Seq, a.Hash, a.PreviousHash }).ToListAsync();
        Assert.Equal(Enumerable.Range(1, chain.Count).Select(i => (long)i), chain.Select(e => (long)e.Seq));
        Assert.All(chain.Skip(1).Zip(chain), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
    }

    [Fact]
    public async Task TimeMovedThroughOneNodeIsTheTimeOfBothAndEveryTimerDueFiresExactlyOnce()
    {
        using var applicant = deployment.As(deployment.A, ScreeningFactory.Applicant);
        using var officer = deployment.As(deployment.B, ScreeningFactory.OfficerCa);
        for (var i = 0; i < 6; i++)
        {
            // Certified cases run the statutory clock and the review deadlines: timers days and weeks away.
            var id = await Deployment.FileAsync(applicant);
            var task = await Deployment.IntakeTaskAsync(officer, id);
            Assert.Equal(HttpStatusCode.OK, (await officer.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode);
            using var complete = await officer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "certify", comment = "Complete filing." });
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
        }

        using var adminA = deployment.As(deployment.A, ScreeningFactory.Admin);
        using var adminB = deployment.As(deployment.B, ScreeningFactory.Admin);
        var start = (await adminA.GetFromJsonAsync<JsonNode>("/api/admin/clock"))!["now"]!.GetValue<DateTimeOffset>();
        DateTime target;
        int dueBefore;
        await using (var db = deployment.Db())
        {
            target = start.UtcDateTime.AddDays(75);
            dueBefore = await db.Timers.CountAsync(t => t.State == TimerStates.Pending && t.DueAt <= target);
        }

        Assert.True(dueBefore > 0, "the cases made no timer due within 75 days");

        // Both nodes move time at once: each fires what fell due, racing the other (and both job servers) for it.
        var moves = await Task.WhenAll(adminA.PostAsJsonAsync("/api/admin/clock/advance", new { days = 75 }), adminB.PostAsJsonAsync("/api/admin/clock/advance", new { days = 75 }));
        Assert.True(moves.All(m => m.StatusCode == HttpStatusCode.OK), $"{string.Join(", ", moves.Select(m => m.StatusCode))}\n{deployment.A.Log()}\n{deployment.B.Log()}");

        var nowA = (await adminA.GetFromJsonAsync<JsonNode>("/api/admin/clock"))!["now"]!.GetValue<DateTimeOffset>();
        var nowB = (await adminB.GetFromJsonAsync<JsonNode>("/api/admin/clock"))!["now"]!.GetValue<DateTimeOffset>();
        Assert.True(nowA >= start.AddDays(75) && nowB >= start.AddDays(75), $"{start:O} {nowA:O} {nowB:O}");
        Assert.True((nowA - nowB).Duration() < TimeSpan.FromSeconds(5), $"A says {nowA:O}, B says {nowB:O}");

        await using (var db = deployment.Db())
        {
            Assert.Equal(0, await db.Timers.CountAsync(t => t.State == TimerStates.Pending && t.DueAt <= target));
            var firings = (await db.Audit.AsNoTracking().Where(a => a.Action == "timer.fired").Select(a => a.DataJson).ToListAsync())
                .Select(d => JsonNode.Parse(d)!).ToList();
            var timers = firings.Select(f => f["timer"]!.GetValue<Guid>()).ToList();
            Assert.Equal(timers.Count, timers.Distinct().Count());
            Assert.True(firings.Count >= dueBefore, $"{firings.Count} firings recorded for {dueBefore} timers due");
            // A timer the run fired is stored fired: the node that lost the race did not mark it otherwise after.
            var resumed = firings.Where(f => f["outcome"]!.GetValue<string>() == "Resumed").Select(f => f["timer"]!.GetValue<Guid>()).ToList();
            var states = await db.Timers.AsNoTracking().Where(t => resumed.Contains(t.Id)).Select(t => t.State).ToListAsync();
            Assert.All(states, state => Assert.Equal(TimerStates.Fired, state));
            Assert.Equal(resumed.Count, states.Count);
        }

        // Time moved through B alone is A's time on its next request.
        Assert.Equal(HttpStatusCode.OK, (await adminB.PostAsJsonAsync("/api/admin/clock/advance", new { days = 1 })).StatusCode);
        var movedB = (await adminB.GetFromJsonAsync<JsonNode>("/api/admin/clock"))!["now"]!.GetValue<DateTimeOffset>();
        var readA = (await adminA.GetFromJsonAsync<JsonNode>("/api/admin/clock"))!["now"]!.GetValue<DateTimeOffset>();
        Assert.True(readA >= movedB.AddSeconds(-1), $"B moved to {movedB:O}, A reads {readA:O}");
    }

    [Fact]
    public async Task ADocumentUploadedThroughOneNodeIsReadThroughTheOther()
    {
        using var applicantA = deployment.As(deployment.A, ScreeningFactory.Applicant);
        using var applicantB = deployment.As(deployment.B, ScreeningFactory.Applicant);
        var id = await Deployment.FileAsync(applicantA);
        var pdf = TestDocuments.Pdf("Shareholder register, two nodes");

        var document = await applicantA.UploadedAsync(id, pdf, "register.pdf");

        Assert.Equal(pdf, await applicantB.GetByteArrayAsync($"/api/cases/{id}/documents/{document}"));
    }

    private async Task<string> UserIdAsync(string email)
    {
        await using var db = deployment.Db();
        return await db.Users.AsNoTracking().Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
    }
}
