using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P1 and P4 over HTTP against published host processes, in three deployments measured in one run: one node
/// on SQLite (the baseline), one node on PostgreSQL, and two nodes on one PostgreSQL database (the load spread
/// over both). PostgreSQL runs durable (fsync and synchronous commit on), in a cluster of its own.
/// </summary>
public static class ScaleOut
{
    public sealed record Deployment(string Name, double CasesPerSecond, double CommandsPerSecond, double CaseReadsPerSecond, double QueueReadsPerSecond);

    public static bool Available => Screening.Web.Admin.PostgreSqlDump.DebianBinary("initdb") is not null;

    public static async Task<List<Deployment>> RunAsync(string root, string published, int cases, TimeSpan duration, TimeSpan warmUp)
    {
        var results = new List<Deployment>();
        string[] common = ["--Screening:RateLimits:LoginsPerMinute=100000", "--Screening:RateLimits:SignInsPerAddressPerMinute=100000", "--Screening:Seed:DemoUsers=true"];
        using (var sqlite = await HostLauncher.StartAsync(Path.Combine(root, "scale-sqlite"), published, common))
        {
            results.Add(await MeasureAsync("SQLite, one node", [sqlite.BaseAddress], cases, duration, warmUp));
        }

        using var cluster = PostgreSqlCluster.Start(durable: true);
        foreach (var nodes in new[] { 1, 2 })
        {
            var database = $"bench_{nodes}";
            string[] settings = [.. common, "--Screening:Database:Provider=PostgreSql", "--Screening:Jobs:Storage=PostgreSql",
                $"--ConnectionStrings:Screening={cluster.ConnectionString(database)}", $"--Screening:Documents:Path={Path.Combine(root, database, "documents")}"];
            var hosts = new List<HostLauncher>();
            try
            {
                // The first node creates and migrates the database; the second finds it made.
                for (var i = 0; i < nodes; i++)
                {
                    hosts.Add(await HostLauncher.StartAsync(Path.Combine(root, database, $"node{i}"), published, settings));
                }

                results.Add(await MeasureAsync(nodes == 1 ? "PostgreSQL, one node" : "PostgreSQL, two nodes", [.. hosts.Select(h => h.BaseAddress)], cases, duration, warmUp));
            }
            finally
            {
                hosts.ForEach(h => h.Dispose());
            }
        }

        return results;
    }

    private static async Task<Deployment> MeasureAsync(string name, Uri[] nodes, int cases, TimeSpan duration, TimeSpan warmUp)
    {
        var tokens = new Dictionary<string, string>();
        using (var client = new HttpClient { BaseAddress = nodes[0] })
        {
            var users = JsonNode.Parse(File.ReadAllText(Path.Combine(Screening.Testing.RepositoryRoot.Folder, "seed", "users.json")))!.AsArray();
            foreach (var email in new[] { "applicant@northern-lights.example", "officer1.ca@screening.example", "officer1.mx@screening.example", "decision.mx@screening.example" })
            {
                var user = users.Single(u => u!["email"]!.GetValue<string>() == email)!;
                var code = user["totpSecret"] is { } secret ? Screening.Testing.Totp.Code(secret.GetValue<string>()) : null;
                var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = user["password"]!.GetValue<string>(), twoFactorCode = code });
                login.EnsureSuccessStatusCode();
                tokens[email] = (await login.Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
            }
        }

        // Four workers per node, each on its node's clients: as an operator's proxy would spread them.
        var drivers = nodes.SelectMany(node => Enumerable.Range(0, 4).Select(_ => new Driver(node, tokens))).ToList();
        await drivers[0].RunCaseAsync();
        var next = 0;
        long commands = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(drivers.Select(driver => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= cases)
            {
                Interlocked.Add(ref commands, await driver.RunCaseAsync());
            }
        })));
        watch.Stop();

        var caseId = await drivers[0].AnyCaseAsync();
        var caseReads = await LoadAsync(nodes, $"/api/cases/{caseId}", tokens["applicant@northern-lights.example"], duration, warmUp);
        var queueReads = await LoadAsync(nodes, "/api/tasks?scope=available", tokens["officer1.ca@screening.example"], duration, warmUp);
        foreach (var driver in drivers)
        {
            driver.Dispose();
        }

        return new Deployment(name, cases / watch.Elapsed.TotalSeconds, commands / watch.Elapsed.TotalSeconds, caseReads, queueReads);
    }

    /// <summary>The same GET against every node at once (16 connections each); the nodes' rates add up.</summary>
    private static async Task<double> LoadAsync(Uri[] nodes, string path, string token, TimeSpan duration, TimeSpan warmUp) =>
        (await Task.WhenAll(nodes.Select(node => HttpLoad.RunAsync(node, path, token, duration, 16, warmUp)))).Sum(r => r.RequestsPerSecond);

    /// <summary>One simulated team working cases through one node: filing, then each task claimed and completed.</summary>
    private sealed class Driver : IDisposable
    {
        private static readonly (string Official, string Step, string Outcome)[] Steps =
        [
            ("officer1.mx@screening.example", "intake-review", "certify"),
            ("officer1.ca@screening.example", "partner-consultation", "comment"),
            ("officer1.mx@screening.example", "host-review", "recommend-clear"),
            ("officer1.mx@screening.example", "consider-partner-comments", "considered"),
            ("decision.mx@screening.example", "cnie-resolution", "approve"),
        ];

        private readonly Dictionary<string, HttpClient> _clients;
        private readonly JsonNode _filing;

        public Driver(Uri node, IReadOnlyDictionary<string, string> tokens)
        {
            _clients = tokens.ToDictionary(t => t.Key, t =>
            {
                var client = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(60) };
                client.DefaultRequestHeaders.Authorization = new("Bearer", t.Value);
                return client;
            });
            // As P1 in process: a Mexican host with Canada consulted, decided by the CNIE.
            _filing = JsonNode.Parse(File.ReadAllText(Path.Combine(Screening.Testing.RepositoryRoot.Folder, "seed", "filings", "high-risk-lithium-ca.json")))!;
            _filing["target"]!["jurisdiction"] = "MX";
            _filing["target"]!["assetCountries"] = new JsonArray("MX", "CL");
            _filing["target"]!["minerals"] = new JsonArray("copper");
        }

        public async Task<int> RunCaseAsync()
        {
            using var filed = await _clients["applicant@northern-lights.example"].PostAsJsonAsync("/api/cases", _filing);
            if ((int)filed.StatusCode != 201)
            {
                throw new InvalidOperationException($"Filing answered {(int)filed.StatusCode}: {await filed.Content.ReadAsStringAsync()}");
            }

            var caseId = (await filed.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
            foreach (var (official, step, outcome) in Steps)
            {
                var client = _clients[official];
                var tasks = (await client.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=available&caseId={caseId}"))!;
                var task = tasks.FirstOrDefault(t => t!["step"]!.GetValue<string>() == step)?["id"]!.GetValue<string>()
                    ?? throw new InvalidOperationException($"No '{step}' task for case {caseId} through {client.BaseAddress}: {tasks.ToJsonString()} " +
                        (await _clients["applicant@northern-lights.example"].GetStringAsync($"/api/cases/{caseId}")));
                (await client.PostAsync($"/api/tasks/{task}/claim", null)).EnsureSuccessStatusCode();
                (await client.PostAsJsonAsync($"/api/tasks/{task}/complete", new { outcome, comment = "Benchmark." })).EnsureSuccessStatusCode();
            }

            return 1 + (2 * Steps.Length);
        }

        public async Task<string> AnyCaseAsync() =>
            (await _clients["applicant@northern-lights.example"].GetFromJsonAsync<JsonArray>("/api/cases?pageSize=1"))![0]!["id"]!.GetValue<string>();

        public void Dispose()
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }
        }
    }
}
