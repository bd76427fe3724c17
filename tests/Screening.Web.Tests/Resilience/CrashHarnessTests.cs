using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Resilience;

/// <summary>
/// Runs the host as a real process (on SQLite, or on PostgreSQL in the PostgreSQL run), drives filings, claims, completions, requests and answers
/// over HTTP, kills it with SIGKILL at a random instant, moves simulated time while it is down, restarts
/// it, and repeats. Then checks that every acknowledged write is there once, no decision exists twice, no
/// instance is stuck, the audit chain verifies and every timer that fell due fired once.
/// Rounds: SCREENING_CRASH_ROUNDS (this suite runs 4; scripts/crash-harness.sh runs 20, or 50 with --long).
/// </summary>
public sealed class CrashHarnessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DownTime = TimeSpan.FromDays(16);

    [Fact]
    public async Task AcknowledgedWritesSurviveRepeatedKillsAndTimersFireOnceAfterRestart()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("SCREENING_CRASH_ROUNDS"), out var r) ? r : 4;
        var data = Path.Combine(Path.GetTempPath(), "screening-crash", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var ledger = new Ledger();
        var random = new Random(Environment.TickCount);
        string[] settings = ["--Screening:Clock:Simulated=true", "--Screening:RateLimits:WritesPerMinute=1000000", "--Screening:RateLimits:LoginsPerMinute=100000"];
        await using var host = new HostProcess(data, settings);
        await host.StartAsync();
        var tokens = await SignInAllAsync(host.BaseAddress);
        var timersFiredAfterRestart = 0;

        for (var round = 1; round <= rounds; round++)
        {
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 4).Select(i => WorkAsync(host.BaseAddress, tokens, ledger, i, stop.Token)).ToList();
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1500, 4000)));
            await host.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(workers);

            MoveSimulatedTime(data, DownTime);
            var dueWhileDown = PendingDue(data, out var now);
            await host.StartAsync();
            await WaitUntilAsync(() => PendingDueBefore(data, now) == 0, TimeSpan.FromSeconds(60));
            timersFiredAfterRestart += dueWhileDown;
            output.WriteLine($"round {round}: killed; {dueWhileDown} timer(s) fell due while down; acknowledged so far: {ledger.Summary}");
            await RetryUnacknowledgedSubmissionsAsync(host.BaseAddress, tokens, ledger);
        }

        using var admin = Client(host.BaseAddress, tokens[ScreeningFactory.Admin]);
        var consistency = (await admin.GetFromJsonAsync<JsonNode>("/api/admin/consistency"))!;
        var verify = (await admin.GetFromJsonAsync<JsonNode>("/api/audit/verify"))!;
        await host.KillAsync();

        await using var db = TestDatabase.Open(data);
        foreach (var (key, id) in ledger.Cases)
        {
            Assert.Equal([id], await db.Cases.AsNoTracking().Where(c => c.IdempotencyKey == key).Select(c => c.Id).ToListAsync());
        }

        foreach (var (task, outcome) in ledger.Completions)
        {
            Assert.Equal(outcome, await db.Tasks.AsNoTracking().Where(t => t.Id == task && t.Status == TaskStatuses.Completed).Select(t => t.Outcome).SingleAsync());
        }

        foreach (var request in ledger.Answers)
        {
            Assert.Equal("answered", await db.InformationRequests.AsNoTracking().Where(r => r.Id == request).Select(r => r.Status).SingleAsync());
        }

        Assert.Equal(0, await db.Audit.AsNoTracking().Where(a => a.Action == "step.decision").GroupBy(a => a.CaseId).CountAsync(g => g.Count() > 1));
        var timerFirings = (await db.Audit.AsNoTracking().Where(a => a.Action == "timer.fired").Select(a => a.DataJson).ToListAsync())
            .Select(d => JsonNode.Parse(d)!["timer"]?.ToJsonString()).ToList();
        Assert.Equal(timerFirings.Count, timerFirings.Distinct().Count());
        var firedTimers = await db.Timers.CountAsync(t => t.State == TimerStates.Fired);
        Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.True(ledger.Cases.Count > 0, "the load filed no case");

        output.WriteLine($"rounds killed: {rounds}; checked: {ledger.Cases.Count} acknowledged filings, {ledger.Completions.Count} completions, " +
            $"{ledger.Answers.Count} answers, {ledger.Decisions.Count} decisions; timers due while down: {timersFiredAfterRestart}, timers fired in all: {firedTimers}; " +
            $"instances checked: {consistency["instancesChecked"]}, audit entries verified: {verify["entries"]}");
    }

    private sealed class Ledger
    {
        public ConcurrentDictionary<string, Guid> Cases { get; } = new();

        public ConcurrentDictionary<string, JsonObject> Unacknowledged { get; } = new();

        public ConcurrentBag<(Guid Task, string Outcome)> Completions { get; } = [];

        public ConcurrentBag<Guid> Answers { get; } = [];

        public ConcurrentBag<Guid> Decisions { get; } = [];

        public string Summary => $"{Cases.Count} filings, {Completions.Count} completions, {Answers.Count} answers, {Decisions.Count} decisions";
    }

    private static readonly Dictionary<string, string> Outcomes = new()
    {
        ["intake-review"] = "certify",
        ["host-review"] = "recommend-clear",
        ["partner-consultation"] = "comment",
        ["partner-information"] = "sent",
        ["partner-follow-up"] = "comment",
        ["consider-partner-comments"] = "considered",
        ["joint-review-ca"] = "recommend-clear",
        ["joint-review-mx"] = "recommend-clear",
        ["minister-initial"] = "no-notice",
        ["cnie-resolution"] = "approve",
        ["monitor-conditions"] = "conditions-met",
    };

    private static async Task WorkAsync(Uri baseAddress, IReadOnlyDictionary<string, string> tokens, Ledger ledger, int worker, CancellationToken stop)
    {
        string[] officials = [ScreeningFactory.OfficerCa, ScreeningFactory.OfficerMx, ScreeningFactory.DecisionCa, ScreeningFactory.DecisionMx];
        var random = new Random(worker * 7919 + Environment.TickCount);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                switch (random.Next(6))
                {
                    case 0:
                    case 1:
                        await FileAsync(baseAddress, tokens, ledger, random);
                        break;
                    case 2:
                        await AnswerAsync(baseAddress, tokens, ledger);
                        break;
                    default:
                        await WorkOneTaskAsync(baseAddress, tokens[officials[random.Next(officials.Length)]], ledger, random);
                        break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or System.Text.Json.JsonException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private static async Task FileAsync(Uri baseAddress, IReadOnlyDictionary<string, string> tokens, Ledger ledger, Random random)
    {
        var filing = (random.Next(3)) switch
        {
            0 => Scenario.LowRiskCa(),
            1 => Scenario.HighRiskCa(),
            _ => Scenario.LowRiskMx(),
        };
        var key = Guid.NewGuid().ToString("N");
        ledger.Unacknowledged[key] = filing;
        using var client = Client(baseAddress, tokens[ScreeningFactory.Applicant]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(filing) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var body = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            ledger.Cases[key] = Guid.Parse(body["id"]!.GetValue<string>());
            ledger.Unacknowledged.TryRemove(key, out _);
        }
    }

    private static async Task RetryUnacknowledgedSubmissionsAsync(Uri baseAddress, IReadOnlyDictionary<string, string> tokens, Ledger ledger)
    {
        // A client that got no answer retries with the same key: it must get the first case, never a second.
        using var client = Client(baseAddress, tokens[ScreeningFactory.Applicant]);
        foreach (var (key, filing) in ledger.Unacknowledged.ToList())
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(filing) };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ledger.Cases[key] = Guid.Parse((await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>());
            ledger.Unacknowledged.TryRemove(key, out _);
        }
    }

    private static async Task WorkOneTaskAsync(Uri baseAddress, string token, Ledger ledger, Random random)
    {
        using var client = Client(baseAddress, token);
        var tasks = (await client.GetFromJsonAsync<JsonArray>("/api/tasks?scope=available&pageSize=20"))!;
        if (tasks.Count == 0)
        {
            return;
        }

        var task = tasks[random.Next(tasks.Count)]!;
        var id = task["id"]!.GetValue<string>();
        var step = task["step"]!.GetValue<string>();
        if (!Outcomes.TryGetValue(step, out var outcome) || (await client.PostAsync($"/api/tasks/{id}/claim", null)).StatusCode != HttpStatusCode.OK)
        {
            return;
        }

        if (step == "host-review" && random.Next(2) == 0)
        {
            // Ask the applicant first; the task stays with this officer until a later visit completes it.
            await client.PostAsJsonAsync($"/api/tasks/{id}/request-information", new { question = "Give the shareholder register.", dueInDays = 30 });
            return;
        }

        using var response = await client.PostAsJsonAsync($"/api/tasks/{id}/complete", new { outcome, comment = "Load test." });
        if (response.StatusCode == HttpStatusCode.OK)
        {
            ledger.Completions.Add((Guid.Parse(id), outcome));
            if (step is "cnie-resolution")
            {
                ledger.Decisions.Add(Guid.Parse(task["caseId"]!.GetValue<string>()));
            }
        }
    }

    private static async Task AnswerAsync(Uri baseAddress, IReadOnlyDictionary<string, string> tokens, Ledger ledger)
    {
        using var client = Client(baseAddress, tokens[ScreeningFactory.Applicant]);
        var cases = (await client.GetFromJsonAsync<JsonArray>("/api/cases?pageSize=100"))!;
        foreach (var summary in cases.Where(c => c!["status"]!.GetValue<string>() == "awaiting-applicant").Take(3))
        {
            var id = summary!["id"]!.GetValue<string>();
            var view = (await client.GetFromJsonAsync<JsonNode>($"/api/cases/{id}"))!;
            foreach (var request in view["openRequests"]!.AsArray())
            {
                var requestId = request!["id"]!.GetValue<string>();
                using var response = await client.PostAsJsonAsync($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Attached." });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    ledger.Answers.Add(Guid.Parse(requestId));
                }
            }
        }
    }

    private static async Task<Dictionary<string, string>> SignInAllAsync(Uri baseAddress)
    {
        var tokens = new Dictionary<string, string>();
        using var client = new HttpClient { BaseAddress = baseAddress };
        foreach (var email in new[] { ScreeningFactory.Applicant, ScreeningFactory.OfficerCa, ScreeningFactory.OfficerMx, ScreeningFactory.DecisionCa, ScreeningFactory.DecisionMx, ScreeningFactory.Admin })
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", ScreeningFactory.Credentials(email));
            response.EnsureSuccessStatusCode();
            tokens[email] = (await response.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
        }

        return tokens;
    }

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>While the host is down, time passes: the stored simulated offset moves forward.</summary>
    private static void MoveSimulatedTime(string data, TimeSpan by)
    {
        using var db = TestDatabase.Open(data);
        if (db.SimulatedClock.SingleOrDefault(c => c.Id == 1) is { } clock)
        {
            clock.OffsetTicks += by.Ticks;
        }
        else
        {
            db.SimulatedClock.Add(new SimulatedClockRecord { Id = 1, OffsetTicks = by.Ticks });
        }

        db.SaveChanges();
    }

    private static int PendingDue(string data, out DateTime now)
    {
        using var db = TestDatabase.Open(data);
        now = DateTime.UtcNow + TimeSpan.FromTicks(db.SimulatedClock.AsNoTracking().Where(c => c.Id == 1).Select(c => c.OffsetTicks).SingleOrDefault());
        return PendingDueBefore(data, now);
    }

    private static int PendingDueBefore(string data, DateTime instant)
    {
        using var db = TestDatabase.Open(data);
        return db.Timers.AsNoTracking().Count(t => t.State == TimerStates.Pending && t.DueAt <= instant);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timers that fell due while the host was down did not fire after the restart.");
            await Task.Delay(200);
        }
    }
}
