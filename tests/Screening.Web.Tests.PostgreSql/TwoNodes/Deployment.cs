using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;
using Screening.Web.Tests.Resilience;

namespace Screening.Web.Tests.TwoNodes;

/// <summary>
/// Two real host processes of one deployment: one PostgreSQL database (the jobs in it, so both run job servers
/// on one storage), one documents folder the configuration names, a simulated clock, each node on its own
/// loopback port and data folder. Both start at once, as an operator's two nodes do, so the start-up lock is
/// in play.
/// </summary>
public sealed class Deployment : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "screening-nodes", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> _tokens = [];

    public Deployment()
    {
        Database = PostgreSqlCluster.DatabaseFor(_root);
        string[] settings =
        [
            "--Screening:Clock:Simulated=true",
            "--Screening:RateLimits:WritesPerMinute=1000000",
            "--Screening:RateLimits:LoginsPerMinute=100000",
            "--Screening:RateLimits:SignInsPerAddressPerMinute=100000",
            $"--ConnectionStrings:Screening={PostgreSqlCluster.Instance.ConnectionString(Database)}",
            $"--Screening:Documents:Path={Path.Combine(_root, "documents")}",
            // A job taken by a killed node is taken again after this; the default is a minute.
            "--Screening:Jobs:InvisibilityTimeout=00:00:15",
            "--Screening:Jobs:PollInterval=00:00:00.250",
        ];
        A = new HostProcess(Path.Combine(_root, "a"), settings);
        B = new HostProcess(Path.Combine(_root, "b"), settings);
    }

    public string Database { get; }

    public HostProcess A { get; }

    public HostProcess B { get; }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(A.StartAsync(), B.StartAsync());
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
        PostgreSqlCluster.Instance.Drop(Database);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Under the temporary folder.
        }
    }

    /// <summary>A client of one node signed in as a seeded user; the token is issued by node A and read by both.</summary>
    public HttpClient As(HostProcess node, string email)
    {
        if (!_tokens.TryGetValue(email, out var token))
        {
            using var anonymous = new HttpClient { BaseAddress = A.BaseAddress };
            var response = anonymous.PostAsJsonAsync("/api/auth/login", ScreeningFactory.Credentials(email)).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            token = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!["accessToken"]!.GetValue<string>();
            _tokens[email] = token;
        }

        var client = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A context on the deployment's database, to check what the nodes stored.</summary>
    public ScreeningDbContext Db() => TestDatabase.OpenPostgreSql(Database);

    /// <summary>Files a case through a node and returns its id.</summary>
    public static async Task<string> FileAsync(HttpClient applicant, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases") { Content = JsonContent.Create(Scenario.LowRiskCa()) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await applicant.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["id"]!.GetValue<string>();
    }

    /// <summary>The open intake task of a case, as a node's queue lists it.</summary>
    public static async Task<string> IntakeTaskAsync(HttpClient officer, string caseId)
    {
        var tasks = (await officer.GetFromJsonAsync<JsonArray>($"/api/tasks?scope=available&caseId={caseId}"))!;
        return tasks.Single(t => t!["step"]!.GetValue<string>() == "intake-review")!["id"]!.GetValue<string>();
    }
}
