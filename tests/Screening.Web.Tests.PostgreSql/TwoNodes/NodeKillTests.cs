using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.TwoNodes;

/// <summary>
/// One node of two killed with SIGKILL under load: the other keeps serving, nothing either acknowledged is lost,
/// and the killed node restarts and catches up (the jobs it had taken run again, after Hangfire's invisibility
/// timeout, on whichever node takes them).
/// </summary>
public sealed class NodeKillTests(Deployment deployment, ITestOutputHelper output) : IClassFixture<Deployment>
{
    [Fact]
    public async Task ANodeKilledUnderLoadLosesNothingTheOtherKeepsServingAndTheKilledOneCatchesUp()
    {
        var acknowledged = new ConcurrentDictionary<string, string>();
        var completions = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(() => WorkAsync(worker % 2 == 0 ? deployment.A : deployment.B, acknowledged, completions, stop.Token))).ToList();

        await Task.Delay(TimeSpan.FromSeconds(3));
        await deployment.B.KillAsync();
        var acknowledgedAtKill = acknowledged.Count;

        // A keeps serving while B is down: its workers go on, and a new filing through A is answered.
        await Task.Delay(TimeSpan.FromSeconds(2));
        using (var applicantA = deployment.As(deployment.A, ScreeningFactory.Applicant))
        {
            var key = Guid.NewGuid().ToString("N");
            acknowledged[key] = await Deployment.FileAsync(applicantA, key);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);
        Assert.True(acknowledged.Count > acknowledgedAtKill, "node A acknowledged nothing after B was killed");

        await deployment.B.StartAsync();
        using var adminB = deployment.As(deployment.B, ScreeningFactory.Admin);
        using var applicantB = deployment.As(deployment.B, ScreeningFactory.Applicant);
        foreach (var (key, id) in acknowledged)
        {
            Assert.Equal(HttpStatusCode.OK, (await applicantB.GetAsync($"/api/cases/{id}")).StatusCode);
        }

        await using (var db = deployment.Db())
        {
            foreach (var (key, id) in acknowledged)
            {
                Assert.Equal([Guid.Parse(id)], await db.Cases.AsNoTracking().Where(c => c.IdempotencyKey == key).Select(c => c.Id).ToListAsync());
            }

            foreach (var task in completions)
            {
                Assert.Equal(Screening.Web.Persistence.TaskStatuses.Completed, await db.Tasks.AsNoTracking().Where(t => t.Id == Guid.Parse(task)).Select(t => t.Status).SingleAsync());
            }
        }

        // The outbox rows either node had committed are delivered: jobs B held when it died run again (once the
        // invisibility timeout passes), the rest on whichever node polled first.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        int undelivered;
        while (true)
        {
            await using var db = deployment.Db();
            undelivered = await db.Outbox.CountAsync(m => m.DeliveredAt == null);
            if (undelivered == 0 || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.Equal(0, undelivered);
        await using (var db = deployment.Db())
        {
            Assert.Empty(await db.Notifications.AsNoTracking().GroupBy(n => new { n.OutboxId, n.UserId }).Where(g => g.Count() > 1).Select(g => g.Key).ToListAsync());
        }

        var verify = (await adminB.GetFromJsonAsync<JsonNode>("/api/audit/verify"))!;
        var consistency = (await adminB.GetFromJsonAsync<JsonNode>("/api/admin/consistency"))!;
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
        output.WriteLine($"acknowledged {acknowledged.Count} filings ({acknowledgedAtKill} before the kill) and {completions.Count} completions; all found after the restart");
    }

    private async Task WorkAsync(Resilience.HostProcess node, ConcurrentDictionary<string, string> acknowledged, ConcurrentBag<string> completions, CancellationToken stop)
    {
        using var applicant = deployment.As(node, ScreeningFactory.Applicant);
        using var officer = deployment.As(node, ScreeningFactory.OfficerCa);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var key = Guid.NewGuid().ToString("N");
                var id = await Deployment.FileAsync(applicant, key);
                acknowledged[key] = id;
                var task = await Deployment.IntakeTaskAsync(officer, id);
                if ((await officer.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode == HttpStatusCode.OK)
                {
                    using var complete = await officer.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome = "certify", comment = "Complete filing." });
                    if (complete.StatusCode == HttpStatusCode.OK)
                    {
                        completions.Add(task);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                // The node was killed under this request: no answer came, so nothing was acknowledged. (Any answer
                // that did come is held to the contract: a wrong status fails the test.)
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(100, CancellationToken.None);
            }
        }
    }
}
