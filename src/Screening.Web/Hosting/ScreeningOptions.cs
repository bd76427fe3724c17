namespace Screening.Web.Hosting;

/// <summary>Settings under <c>Screening</c>.</summary>
public sealed class ScreeningOptions
{
    public const string Section = "Screening";

    /// <summary>Where SQLite files live (relative to the current directory).</summary>
    public string DataDirectory { get; set; } = "data";

    public ClockOptions Clock { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public JobOptions Jobs { get; set; } = new();

    public SeedOptions Seed { get; set; } = new();

    public RateLimitOptions RateLimits { get; set; } = new();

    public DocumentOptions Documents { get; set; } = new();

    /// <summary>The key of the published pipeline a new filing starts.</summary>
    public string Pipeline { get; set; } = "bilateral-screening";

    /// <summary>Lifetime of an API access token.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

public sealed class ClockOptions
{
    /// <summary>Run on a clock that admins move forward (training and test environments).</summary>
    public bool Simulated { get; set; }
}

public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (default) or <c>PostgreSql</c> (with ConnectionStrings:Screening).</summary>
    public string Provider { get; set; } = "Sqlite";

    public bool IsPostgreSql => string.Equals(Provider, "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The most commands committed together in one transaction (group commit, decision 0026).</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>
    /// For the crash tests only: the process kills itself right after the COMMIT of the first batch of at least
    /// this many commands, before answering any of them. Off (null) in every deployment.
    /// </summary>
    public int? KillAfterBatchOf { get; set; }
}

public sealed class JobOptions
{
    /// <summary><c>Sqlite</c> (default; its own file), <c>InMemory</c> (tests) or <c>PostgreSql</c>.</summary>
    public string Storage { get; set; } = "Sqlite";

    /// <summary>Whether this process runs a job server.</summary>
    public bool RunServer { get; set; } = true;

    /// <summary>Workers of the job server; more do not help with one SQLite writer.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// How often queues and schedules are polled. A timer's job waits up to one interval to be moved to its
    /// queue and up to another to be taken, so the interval is most of a deadline's lateness; a poll is one
    /// small query on the job database.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a job taken by a process that died stays invisible before another takes it.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class DocumentOptions
{
    /// <summary>Where document content is kept; by default <c>documents</c> under the data directory.</summary>
    public string? Path { get; set; }

    /// <summary>The largest file one upload may carry.</summary>
    public long MaxFileBytes { get; set; } = 25L * 1024 * 1024;

    /// <summary>The most all of one case's documents may hold together.</summary>
    public long MaxCaseBytes { get; set; } = 500L * 1024 * 1024;
}

public sealed class SeedOptions
{
    /// <summary>Seed the demo users of seed/users.json.</summary>
    public bool DemoUsers { get; set; } = true;

    /// <summary>Where seed/ and workflows/ are; by default next to the binaries.</summary>
    public string? ContentDirectory { get; set; }
}
