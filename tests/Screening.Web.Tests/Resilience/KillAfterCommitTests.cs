using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Resilience;

/// <summary>
/// The host as a real process, set to kill itself right after the COMMIT of the first batch of several commands
/// and before answering any of them (decision 0026). Filings with idempotency keys are sent from several clients
/// at once until it dies; then it starts again on the same data. Every filing that was answered is stored; the
/// ones of the last batch are stored although none was answered, and a client that retries with its key gets the
/// stored case, never a second one.
/// </summary>
public sealed class KillAfterCommitTests(ITestOutputHelper output)
{
    private const int BatchOf = 2;

    [Fact]
    public async Task AKillBetweenABatchsCommitAndItsAnswersLosesNothingAcknowledgedAndDuplicatesNothing()
    {
        var data = Path.Combine(Path.GetTempPath(), "screening-kill-after-commit", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        string[] settings = ["--Screening:Clock:Simulated=true", "--Screening:RateLimits:WritesPerMinute=1000000", "--Screening:RateLimits:LoginsPerMinute=100000"];
        var answered = new ConcurrentDictionary<string, Guid>();
        var sent = new ConcurrentDictionary<string, JsonObject>();

        // No job server in the dying host: its outbox deliveries are writer commands too, and one committing beside
        // a filing of the one-client phase would make the batch of two the host dies at before any answer was expected to fail.
        await using (var dying = new HostProcess(data, [.. settings, "--Screening:Jobs:RunServer=false", $"--Screening:Database:KillAfterBatchOf={BatchOf}"]))
        {
            await dying.StartAsync();
            var token = await SignInAsync(dying.BaseAddress);
            // One client first, so each batch is one command and each is answered; then many at once.
            using (var first = Client(dying.BaseAddress, token))
            {
                for (var i = 0; i < 10; i++)
                {
                    var key = Guid.NewGuid().ToString("N");
                    sent[key] = Scenario.LowRiskCa();
                    using var response = await SubmitAsync(first, key, sent[key]);
                    Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                    answered[key] = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>());
                }
            }

            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                using var client = Client(dying.BaseAddress, token);
                while (!dying.HasExited && !stop.IsCancellationRequested)
                {
                    var key = Guid.NewGuid().ToString("N");
                    var filing = Scenario.LowRiskCa();
                    sent[key] = filing;
                    try
                    {
                        using var response = await SubmitAsync(client, key, filing);
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            answered[key] = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>());
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        // The host died with this request in flight: it was never answered.
                        return;
                    }
                }
            })));
            Assert.True(await dying.ExitsWithinAsync(TimeSpan.FromSeconds(30)), "No batch of several commands formed within 90 s, so the host never killed itself.");
        }

        var stored = StoredKeys(data);
        var unanswered = sent.Keys.Where(k => !answered.ContainsKey(k)).ToList();
        var storedUnanswered = unanswered.Where(stored.ContainsKey).ToList();
        output.WriteLine($"sent {sent.Count}, answered {answered.Count}, stored {stored.Count}, stored but never answered {storedUnanswered.Count}");

        // Nothing acknowledged is missing, and each is the case its caller was told of.
        Assert.All(answered, a => Assert.Equal(a.Value, stored.GetValueOrDefault(a.Key)));
        // The killed batch committed: its commands are stored though their callers heard nothing.
        Assert.True(storedUnanswered.Count >= BatchOf, $"{storedUnanswered.Count} stored but unanswered filings; the kill should leave at least {BatchOf}.");

        await using var restarted = new HostProcess(data, settings);
        await restarted.StartAsync();
        var again = await SignInAsync(restarted.BaseAddress);
        using (var client = Client(restarted.BaseAddress, again))
        {
            // Every client that heard nothing retries: it gets the stored case if there is one, else its filing now.
            foreach (var key in unanswered)
            {
                using var response = await SubmitAsync(client, key, sent[key]);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                var id = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>());
                if (stored.TryGetValue(key, out var first))
                {
                    Assert.Equal(first, id);
                }
            }
        }

        using (var admin = Client(restarted.BaseAddress, await SignInAsync(restarted.BaseAddress, ScreeningFactory.Admin)))
        {
            var verify = (await admin.GetFromJsonAsync<JsonNode>("/api/audit/verify"))!;
            var consistency = (await admin.GetFromJsonAsync<JsonNode>("/api/admin/consistency"))!;
            Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
            Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
        }

        await restarted.KillAsync();
        var final = StoredKeys(data);
        Assert.Equal(sent.Count, final.Count);
        Assert.All(sent.Keys, k => Assert.True(final.ContainsKey(k)));
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string key, JsonObject filing)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(filing) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>Each stored filing's idempotency key and case id, read from the database the host stored them in.</summary>
    private static Dictionary<string, Guid> StoredKeys(string data)
    {
        using var db = TestDatabase.Open(data);
        return db.Cases.AsNoTracking().Where(c => c.IdempotencyKey != null).ToDictionary(c => c.IdempotencyKey!, c => c.Id);
    }

    private static async Task<string> SignInAsync(Uri baseAddress, string email = ScreeningFactory.Applicant)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var response = await client.PostAsJsonAsync("/api/auth/login", ScreeningFactory.Credentials(email));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
