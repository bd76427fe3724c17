using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Screening.Benchmarks.Bench;

// Measures what Screening exists for, each figure against a baseline measured in the same run.
//   dotnet run -c Release --project tests/Screening.Benchmarks -- quick    (a few minutes)
//   dotnet run -c Release --project tests/Screening.Benchmarks -- full
//   ... -- timers [full]   P3 alone;   ... -- engine [full]   P1 alone;   ... -- web [full]   P2, P4 and P5
//   ... -- recovery   a job in flight at SIGKILL;   ... -- scaleout [full]   P1 and P4 on SQLite and on PostgreSQL, one and two nodes
if (args.FirstOrDefault() == "recovery-child")
{
    JobRecovery.RunChild(args[1], args[2], args[3] == "enqueue");
    return;
}

var full = args.Contains("full");
var engineOnly = args.Contains("engine");
var webOnly = args.Contains("web");
var mode = full ? "full" : "quick";
var root = Path.Combine(Path.GetTempPath(), "screening-bench", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
Directory.CreateDirectory(root);
if (args.Contains("recovery"))
{
    var alone = await JobRecovery.MeasureAsync(root);
    Console.WriteLine($"A job in flight at SIGKILL ran again {alone.TotalSeconds:0.0} s after the kill (invisibility timeout 60 s, polling as the host's).");
    return;
}

if (args.Contains("timers"))
{
    var alone = await TimerPrecision.RunAsync(root, full ? 10_000 : 1_000, TimeSpan.FromSeconds(full ? 60 : 10));
    Console.WriteLine($"P3 {alone.Timers:N0} timers over {alone.Window.TotalSeconds:0} s: lateness p50 {alone.P50:0.00} s, p99 {alone.P99:0.00} s, max {alone.Max:0.00} s; " +
        $"{alone.FiredOnce:N0} once, {alone.Duplicates} twice, {alone.Missing} missing; {alone.SlotJobs} jobs");
    return;
}

if (args.Contains("scaleout"))
{
    foreach (var deployment in await ScaleOut.RunAsync(root, HostLauncher.Publish(), full ? 1_000 : 200, TimeSpan.FromSeconds(full ? 15 : 5), TimeSpan.FromSeconds(full ? 10 : 3)))
    {
        Console.WriteLine($"{deployment.Name}: P1 {deployment.CasesPerSecond:0.0} cases/s, {deployment.CommandsPerSecond:0} commands/s; P4 GET case {deployment.CaseReadsPerSecond:0} req/s, GET queue {deployment.QueueReadsPerSecond:0} req/s");
    }

    return;
}

var figures = new List<Figure>();
var targets = new List<Target>();
void Say(string text) => Console.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {text}");

Console.WriteLine($"Screening benchmarks ({mode}) on {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, " +
    $"{RuntimeInformation.OSDescription}, .NET {Environment.Version}, {Cpu()}; data in {root}");

// Baseline (a): the raw durable commit rate of this disk.
Say("raw SQLite commits");
var rawCommits = SqliteCommitBaseline.CommitsPerSecond(root, full ? 10_000 : 2_000);
figures.Add(new Figure("raw SQLite commits (WAL, synchronous=FULL)", rawCommits, "commits/s"));

if (!engineOnly && !webOnly)
{
    // P3 first: Hangfire's logging is global, and a host disposed later would take it along.
    var timers = full ? 10_000 : 1_000;
    var window = TimeSpan.FromSeconds(full ? 60 : 10);
    Say($"P3 {timers:N0} timers due within {window.TotalSeconds:0} s");
    var precision = await TimerPrecision.RunAsync(root, timers, window);
    var poll = new Screening.Web.Hosting.JobOptions().PollInterval.TotalSeconds;
    figures.Add(new Figure("P3 timer lateness p50", precision.P50, "s", "poll interval s", poll));
    figures.Add(new Figure("P3 timer lateness p99", precision.P99, "s", "poll interval s", poll));
    figures.Add(new Figure("P3 timer lateness max", precision.Max, "s"));
    figures.Add(new Figure("P3 timers fired exactly once", precision.FiredOnce, "timers", Note: $"{precision.Duplicates} duplicates, {precision.Missing} missing of {precision.Timers}; {precision.SlotJobs} jobs"));
    targets.Add(new Target("P3", "timer lateness p99", precision.P99, 3, false, " s"));
    targets.Add(new Target("P3", "duplicate or missing timers", precision.Duplicates + precision.Missing, 0, false, ""));
}

// P1: the pipeline end to end in process.
var dataDirectory = Path.Combine(root, "host");
Directory.CreateDirectory(dataDirectory);
Say(webOnly ? "a few cases end to end, for the applicant's reads" : "P1 engine throughput");
// As deployed: the real clock (each deadline's timer gets its job), jobs stored in SQLite and run by a job
// server in the process, and the outbox (letters, e-mail, notifications) delivered in the process's rounds.
var host = await InProcessHost.StartAsync(dataDirectory, new Dictionary<string, string?>
{
    ["Screening:Clock:Simulated"] = "false",
    ["Screening:Jobs:Storage"] = "Sqlite",
    ["Screening:Jobs:RunServer"] = "true",
});
var throughput = new EngineThroughput(host);
if (webOnly)
{
    await throughput.RunAsync(10, 1);
}
else
{
    // Four simulated officials at once; more do not help on two cores, where the run is bound by processor time.
    var engineWorkers = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WORKERS"), out var w) ? w : 4;
    var engine = await throughput.RunAsync(full ? 2_000 : 200, engineWorkers);
    Console.WriteLine($"    profile (mean ms per call, {engineWorkers} workers): " + string.Join(", ", throughput.MeanMilliseconds.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value:0.00}")));
    Console.WriteLine($"    deliveries not yet done when the last command was answered: {engine.Backlog:N0} (outbox rows and e-mail), done {engine.Drain.TotalSeconds:0.00} s later (counted in the run)");
    Console.WriteLine($"    processor time {engine.CpuPerCommand:0.00} ms per command (both cores, the run's queries and jobs included: at most {2000 / engine.CpuPerCommand:0} commands/s on two cores)");
    Console.WriteLine($"    write transaction open {engine.Held:0.00} ms per commit (COMMIT alone {engine.Commit:0.00} ms); " +
        $"methods compiled during the timed run {engine.Jitted:N0} ({engine.JitTime.TotalSeconds:0.0} s)");
    Say($"P6 a command's cost as its case ages ({CaseAge.Commands} commands a case)");
    var age = await new CaseAge(host).RunAsync(full ? 20 : 5);
    Console.WriteLine("    P6 curve (median ms per round of request, answer and note, by the command it begins): " +
        string.Join(", ", age.Curve.Select(c => string.Create(CultureInfo.InvariantCulture, $"#{c.Position} {c.Milliseconds:0.00}"))));
    if (engineOnly)
    {
        var inMemory = await WorkflowCoreBaseline.CasesPerSecondAsync(full ? 2_000 : 200);
        Console.WriteLine($"P1 {engine.CasesPerSecond:0.0} cases/s ({engine.CasesPerSecond / inMemory:0.00}x WorkflowCore in memory {inMemory:0.0}/s), " +
            $"{engine.CommandsPerSecond:0} commands/s ({engine.CommandsPerSecond / rawCommits:0.00}x raw commits {rawCommits:0}/s), " +
            $"{engine.CommitsPerCase:0.0} commits and {engine.StatementsPerCase:0} SQL commands per case; P6 200th/5th {age.Late:0.00}/{age.Early:0.00} ms = {age.Ratio:0.00}x");
        Console.WriteLine($"    processor time a command may take at the targets: {Budgets(engine, inMemory, rawCommits)}");
        return;
    }

    figures.Add(new Figure("P6 the 200th command of a case (round of three)", age.Late, "ms", "the 5th command, ms", age.Early, $"median of {age.Cases} cases"));
    targets.Add(new Target("P6", "200th command vs 5th", age.Ratio, 1.5, false, "x"));

Say("P1 baseline: WorkflowCore");
var workflowCore = await WorkflowCoreBaseline.CasesPerSecondAsync(full ? 2_000 : 200);
figures.Add(new Figure("P1 bilateral cases end to end (durable)", engine.CasesPerSecond, "cases/s", "WorkflowCore 3.22 in memory, cases/s", workflowCore));
figures.Add(new Figure("P1 commands (claims, completions, filings)", engine.CommandsPerSecond, "cmd/s", "raw SQLite commits/s", rawCommits));
figures.Add(new Figure("P1 commits per case", engine.CommitsPerCase, "commits", Note: $"{engine.CommandsPerCase:0.#} commands per case"));
figures.Add(new Figure("P1 SQL commands per case", engine.StatementsPerCase, "commands", Note: "sent by EF Core: queries, SaveChanges batches, deliveries; the benchmark's queue reads included"));
figures.Add(new Figure("P1 write transaction open per commit (BEGIN to end of COMMIT)", engine.Held, "ms",
    Note: $"COMMIT alone {engine.Commit:0.00} ms; one writer at a time, so at most {1000 / engine.Held:0} commits/s"));
figures.Add(new Figure("P1 processor time per command (both cores; queries and deliveries included)", engine.CpuPerCommand, "ms",
    $"at {EngineThroughput.Result.WorkflowCoreGoal:0.0}x WorkflowCore, ms", engine.BudgetAtWorkflowCoreGoal(workflowCore), Budgets(engine, workflowCore, rawCommits)));
targets.Add(new Target("P1", "engine vs WorkflowCore", engine.CasesPerSecond / workflowCore, EngineThroughput.Result.WorkflowCoreGoal, true, "x"));
targets.Add(new Target("P1", "commands vs raw commit rate", engine.CommandsPerSecond / rawCommits, EngineThroughput.Result.CommitRateGoal, true, "x"));
}

// P2: the queue over many open cases.
var openCases = full ? 100_000 : 20_000;
Say($"P2 queue latency over {openCases:N0} open cases");
var queue = await new QueueLatency(host, dataDirectory).RunAsync(openCases, full ? 1_000 : 200);
figures.Add(new Figure("P2 top 50 of an officer's queue, p50", queue.P50, "ms", "one task by key, p50 ms", queue.BaselineP50));
figures.Add(new Figure("P2 top 50 of an officer's queue, p95", queue.P95, "ms", "one task by key, p95 ms", queue.BaselineP95));
figures.Add(new Figure("P2 top 50 of an officer's queue, p99", queue.P99, "ms"));
figures.Add(new Figure("P2 the same page kept (nothing changed), p95", queue.KeptP95, "ms"));
targets.Add(new Target("P2", $"queue p95 over {openCases / 1000}k open cases", queue.P95, 25, false, " ms"));
Console.WriteLine($"    query plan: {queue.Plan}");
// P8: the definition editor saving a one-word change to the shipped pipeline.
Say("P8 saving a draft of the shipped pipeline");
var drafts = await new DraftSaves(host).RunAsync(full ? 200 : 50);
figures.Add(new Figure($"P8 validate and save a draft ({drafts.Bytes / 1024} KB), p50", drafts.P50, "ms"));
figures.Add(new Figure($"P8 validate and save a draft ({drafts.Bytes / 1024} KB), p95", drafts.P95, "ms", "read the same definition, p95 ms", drafts.ReadP95));
targets.Add(new Target("P8", "validate and save a draft, p95", drafts.P95, 200, false, " ms"));
await host.DisposeAsync();

// P5 (start-up) and P4: the host as a process on that database, published as it is deployed.
Say("publishing the host (Release, ReadyToRun)");
var published = HostLauncher.Publish();
Say("P5 start-up and P4 HTTP");
double jitStartup;
using (var unpublished = await HostLauncher.StartAsync(dataDirectory))
{
    jitStartup = unpublished.Startup.TotalSeconds;
}

using (var process = await HostLauncher.StartAsync(dataDirectory, published))
{
    figures.Add(new Figure($"P5 start to healthy /health ({openCases / 1000}k cases, published)", process.Startup.TotalSeconds, "s", "build output (JIT only), s", jitStartup));
    targets.Add(new Target("P5", "start-up to healthy", process.Startup.TotalSeconds, 3, false, " s"));
    using var client = new HttpClient { BaseAddress = process.BaseAddress };
    // Officials sign in with the current code of their seeded authenticator (seed/users.json's totpSecret).
    var secrets = JsonNode.Parse(File.ReadAllText(Path.Combine(Screening.Testing.RepositoryRoot.Folder, "seed", "users.json")))!.AsArray()
        .Where(u => u!["totpSecret"] is not null).ToDictionary(u => u!["email"]!.GetValue<string>(), u => u!["totpSecret"]!.GetValue<string>());
    async Task<string> Token(string email, string password) =>
        (await (await client.PostAsJsonAsync("/api/auth/login", new { email, password, twoFactorCode = secrets.TryGetValue(email, out var secret) ? Screening.Testing.Totp.Code(secret) : null }))
            .Content.ReadFromJsonAsync<JsonNode>())!["accessToken"]!.GetValue<string>();
    var applicant = await Token("applicant@northern-lights.example", "Applicant-2027!");
    var officer = await Token("officer1.ca@screening.example", "Officer-CA-2027!");
    client.DefaultRequestHeaders.Authorization = new("Bearer", applicant);
    var caseId = (await client.GetFromJsonAsync<JsonArray>("/api/cases?pageSize=1"))![0]!["id"]!.GetValue<string>();
    var duration = TimeSpan.FromSeconds(full ? 15 : 5);
    var warmUp = TimeSpan.FromSeconds(full ? 10 : 3);
    var hello = await HttpLoad.RunAsync(process.BaseAddress, "/ping", null, duration, 16, warmUp);
    var oneCase = await HttpLoad.RunAsync(process.BaseAddress, $"/api/cases/{caseId}", applicant, duration, 16, warmUp);
    var tasks = await HttpLoad.RunAsync(process.BaseAddress, "/api/tasks?scope=available", officer, duration, 16, warmUp);
    figures.Add(new Figure($"P4 GET /ping (baseline, {hello.Tool})", hello.RequestsPerSecond, "req/s", Note: $"p99 {hello.P99Milliseconds:0.0} ms"));
    figures.Add(new Figure("P4 GET /api/cases/{id}", oneCase.RequestsPerSecond, "req/s", "GET /ping req/s", hello.RequestsPerSecond, $"p99 {oneCase.P99Milliseconds:0.0} ms"));
    figures.Add(new Figure("P4 GET /api/tasks?scope=available", tasks.RequestsPerSecond, "req/s", "GET /ping req/s", hello.RequestsPerSecond, $"p99 {tasks.P99Milliseconds:0.0} ms"));
    targets.Add(new Target("P4", "GET case vs hello world", oneCase.RequestsPerSecond / hello.RequestsPerSecond, 0.30, true, "x"));
    targets.Add(new Target("P4", "GET queue vs hello world", tasks.RequestsPerSecond / hello.RequestsPerSecond, 0.30, true, "x"));
    var (rss, _, breakdown) = process.ResidentMemory();
    figures.Add(new Figure($"P5 resident memory ({openCases / 1000}k cases, after load)", rss, "MB", Note: breakdown));
    targets.Add(new Target("P5", "resident memory", rss, 250, false, " MB"));

    // Uploads stream to disk: a 25 MB document grows the host's memory by no more than a small one does, give or take.
    // Held to the anonymous part, what the process allocates (a buffered upload would be there): the file-backed part
    // moves with code and database pages first touched by the job server and deliveries running beside the uploads.
    async Task<(double Total, double Anonymous)> UploadGrowthAsync(int bytes, int uploads)
    {
        var before = process.ResidentMemory();
        for (var i = 0; i < uploads; i++)
        {
            using var form = new MultipartFormDataContent();
            var file = new StreamContent(UploadBench.Pdf(bytes, i));
            file.Headers.ContentType = new("application/pdf");
            form.Add(file, "file", $"report-{i}.pdf");
            form.Add(new StringContent("applicant"), "classification");
            using var response = await client.PostAsync($"/api/cases/{caseId}/documents", form);
            if ((int)response.StatusCode != 201)
            {
                throw new InvalidOperationException($"Upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var after = process.ResidentMemory();
        return (after.Megabytes - before.Megabytes, after.Anonymous - before.Anonymous);
    }

    var smallGrowth = await UploadGrowthAsync(1_000_000, 3);
    var largeGrowth = await UploadGrowthAsync(25_000_000, 3);
    figures.Add(new Figure("P9 anonymous memory growth, three 25 MB uploads", largeGrowth.Anonymous, "MB", "three 1 MB uploads, MB", smallGrowth.Anonymous,
        $"resident in all {largeGrowth.Total:0.0} MB, {smallGrowth.Total:0.0} MB for the 1 MB ones"));
    targets.Add(new Target("P9", "memory growth for 25 MB uploads", largeGrowth.Anonymous, 10, false, " MB"));
}

// Jobs in flight when a process dies: how soon another process runs them again.
if (!webOnly)
{
    Say("job recovery after SIGKILL");
    var recovery = await JobRecovery.MeasureAsync(root);
    figures.Add(new Figure("job in flight at SIGKILL runs again after", recovery.TotalSeconds, "s", "invisibility timeout s", 60));
    targets.Add(new Target("Jobs", "in-flight job resumes after a crash", recovery.TotalSeconds, 120, false, " s"));
}

// P1 and P4 over HTTP on PostgreSQL, one node and two, beside one SQLite node measured the same way.
if (!webOnly && ScaleOut.Available)
{
    Say("P1 and P4 over HTTP: SQLite one node, PostgreSQL one node and two nodes");
    var deployments = await ScaleOut.RunAsync(root, published, full ? 1_000 : 200, TimeSpan.FromSeconds(full ? 15 : 5), TimeSpan.FromSeconds(full ? 10 : 3));
    var baseline = deployments[0];
    foreach (var deployment in deployments.Skip(1))
    {
        figures.Add(new Figure($"P1 over HTTP, {deployment.Name}", deployment.CasesPerSecond, "cases/s", $"{baseline.Name}, cases/s", baseline.CasesPerSecond));
        figures.Add(new Figure($"P4 GET /api/cases/{{id}}, {deployment.Name}", deployment.CaseReadsPerSecond, "req/s", $"{baseline.Name}, req/s", baseline.CaseReadsPerSecond));
        figures.Add(new Figure($"P4 GET /api/tasks, {deployment.Name}", deployment.QueueReadsPerSecond, "req/s", $"{baseline.Name}, req/s", baseline.QueueReadsPerSecond));
    }
}

Console.WriteLine();
Console.WriteLine(Stats.Table(figures));
Console.WriteLine();
foreach (var target in targets)
{
    Console.WriteLine(target);
}

// BENCH_KEEP=1 leaves the data (the 100,000-case database among it) for inspection.
if (Environment.GetEnvironmentVariable("BENCH_KEEP") != "1")
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
        // left for inspection
    }
}

static string Cpu() =>
    File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?" : "?";

// What each P1 target leaves a command of this machine's processor time, beside what a command takes: a target whose
// budget is below the time a command's own SQLite statements, letters or kernel calls take cannot be met by tuning.
static string Budgets(EngineThroughput.Result engine, double workflowCore, double rawCommits) => string.Create(CultureInfo.InvariantCulture,
    $"{engine.BudgetAtWorkflowCoreGoal(workflowCore):0.00} ms at {EngineThroughput.Result.WorkflowCoreGoal:0.0}x WorkflowCore, " +
    $"{EngineThroughput.Result.BudgetAtCommitRateGoal(rawCommits):0.00} ms at {EngineThroughput.Result.CommitRateGoal:0.00}x the raw commit rate; {engine.CpuPerCommand:0.00} ms taken");
