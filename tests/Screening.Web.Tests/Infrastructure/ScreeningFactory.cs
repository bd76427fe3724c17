using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Screening.Testing;
using Screening.Web.Admin;
using Screening.Web.Persistence;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Screening.Web.Tests.Infrastructure;

/// <summary>
/// The real host on a database of its own (a SQLite file, or a fresh PostgreSQL database: see <see cref="TestDatabase"/>), with simulated time starting on Monday 4 January 2027,
/// in-memory job storage (on PostgreSQL, the jobs in the same database), and real bearer tokens for each seeded account.
/// </summary>
public class ScreeningFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 15, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> _tokens = [];

    public ScreeningFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "screening-tests", Guid.NewGuid().ToString("N"));
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; } = new(Start);

    protected virtual bool RunJobServer => false;

    protected virtual int WritesPerMinute => 1_000_000;

    /// <summary>Interceptors added to the host's database context (a test's way into what the host sends).</summary>
    protected virtual IReadOnlyList<IInterceptor> Interceptors => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Screening:DataDirectory", DataDirectory);
        TestDatabase.Configure(builder, DataDirectory);
        builder.UseSetting("Screening:Clock:Simulated", "true");
        // On PostgreSQL the jobs are kept in the same database, as a deployment of several nodes keeps them.
        builder.UseSetting("Screening:Jobs:Storage", TestDatabase.IsPostgreSql ? "PostgreSql" : "InMemory");
        builder.UseSetting("Screening:Jobs:RunServer", RunJobServer ? "true" : "false");
        builder.UseSetting("Screening:Jobs:PollInterval", "00:00:00.200");
        // Throttling has tests of its own; elsewhere a test's many calls must not be refused.
        builder.UseSetting("Screening:RateLimits:WritesPerMinute", WritesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Screening:RateLimits:LoginsPerMinute", "100000");
        builder.UseSetting("Screening:RateLimits:SignInsPerAddressPerMinute", "100000");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(new SimulatedTimeProvider(Time));
            if (Interceptors.Count > 0)
            {
                // The host registers its context as ScreeningDbContext on SQLite and as its PostgreSQL subclass on PostgreSQL.
                services.ConfigureDbContext<ScreeningDbContext>(o => o.AddInterceptors(Interceptors));
                services.ConfigureDbContext<PostgreSqlScreeningDbContext>(o => o.AddInterceptors(Interceptors));
            }
        });
    }

    public static IReadOnlyDictionary<string, string> Passwords { get; } = LoadSeed("password");

    /// <summary>The authenticator secrets (base32) of the seeded accounts enrolled in two-factor sign-in.</summary>
    public static IReadOnlyDictionary<string, string> TotpSecrets { get; } = LoadSeed("totpSecret");

    /// <summary>The current code of a seeded account's authenticator (on the real clock, as the host checks it).</summary>
    public static string TwoFactorCode(string email) => Totp.Code(TotpSecrets[email]);

    /// <summary>The login body of a seeded account: its password, and its current code where it signs in with one.</summary>
    public static object Credentials(string email) => TotpSecrets.ContainsKey(email)
        ? new { email, password = Passwords[email], twoFactorCode = TwoFactorCode(email) }
        : new { email, password = Passwords[email] };

    public const string Applicant = "applicant@northern-lights.example";
    public const string OtherApplicant = "applicant@pacifico.example";
    public const string OfficerCa = "officer1.ca@screening.example";
    public const string OfficerCa2 = "officer2.ca@screening.example";
    public const string OfficerMx = "officer1.mx@screening.example";
    public const string OfficerMx2 = "officer2.mx@screening.example";
    public const string DecisionCa = "decision.ca@screening.example";
    public const string DecisionMx = "decision.mx@screening.example";
    public const string DualCa = "dual.ca@screening.example";
    public const string Admin = "admin@screening.example";

    /// <summary>A client signed in as a seeded user (a real login, a real bearer token).</summary>
    public HttpClient As(string email)
    {
        if (!_tokens.TryGetValue(email, out var token))
        {
            using var anonymous = CreateClient();
            var response = anonymous.PostAsJsonAsync("/api/auth/login", Credentials(email)).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            token = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult())!["accessToken"]!.GetValue<string>();
            _tokens[email] = token;
        }

        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>A fresh context on the host's database, to assert persisted state.</summary>
    public ScreeningDbContext Db()
    {
        var scope = Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
    }

    public async Task<T> QueryAsync<T>(Func<ScreeningDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ScreeningDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DeleteData();
        }
    }

    /// <summary>Removes this host's data (its directory, and its database on PostgreSQL) once it is disposed.</summary>
    protected virtual void DeleteData() => TestDatabase.Delete(DataDirectory);

    private static Dictionary<string, string> LoadSeed(string field)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "seed", "users.json");
        var users = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        return users.Where(u => u![field] is not null).ToDictionary(u => u!["email"]!.GetValue<string>(), u => u![field]!.GetValue<string>());
    }
}
