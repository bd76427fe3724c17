using System.Diagnostics;
using System.Text.Json.Nodes;
using Screening.Web.Cases;
using Screening.Web.Identity;
using Screening.Web.Reviews;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P1: the shipped bilateral pipeline end to end in process — filing, certification, host review and the
/// partner's consultation, consideration of the comment, decision — every command through its handler,
/// each committing to SQLite with the production settings.
/// </summary>
public sealed class EngineThroughput(InProcessHost host)
{
    private static readonly int WarmUpCases = int.TryParse(Environment.GetEnvironmentVariable("BENCH_WARMUP"), out var n) ? n : 400;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Ticks, long Count)> _costs = new();

    /// <summary>Mean milliseconds per kind of call, for the profile printed with the results.</summary>
    public IReadOnlyDictionary<string, double> MeanMilliseconds =>
        _costs.ToDictionary(c => c.Key, c => TimeSpan.FromTicks(c.Value.Ticks / Math.Max(1, c.Value.Count)).TotalMilliseconds);

    private async Task<T> TimedAsync<T>(string name, Func<Task<T>> call)
    {
        var watch = Stopwatch.StartNew();
        var result = await call();
        _costs.AddOrUpdate(name, (watch.Elapsed.Ticks, 1), (_, c) => (c.Ticks + watch.Elapsed.Ticks, c.Count + 1));
        return result;
    }

    /// <param name="Held">Mean milliseconds a write transaction was open (SQLite's one writer taken).</param>
    /// <param name="Commit">Mean milliseconds of COMMIT alone.</param>
    /// <param name="Cpu">This process's processor time (user and system, both cores) over the run.</param>
    /// <param name="Jitted">Methods compiled over the timed run (after the warm-up), tiered recompilations included.</param>
    /// <param name="JitTime">Time spent compiling them, on any thread.</param>
    /// <param name="Backlog">Outbox rows and e-mail not yet delivered when the last command was answered.</param>
    /// <param name="Drain">From the last command's answer until every delivery of the run was done (part of <paramref name="Elapsed"/>).</param>
    public sealed record Result(int Cases, long Commands, long Commits, long Statements, TimeSpan Elapsed, double Held, double Commit, TimeSpan Cpu, long Jitted, TimeSpan JitTime, int Backlog, TimeSpan Drain)
    {
        /// <summary>Processor milliseconds per command, queries and the job server included: two cores give at most 2,000 / this commands a second.</summary>
        public double CpuPerCommand => Cpu.TotalMilliseconds / Commands;

        public double CasesPerSecond => Cases / Elapsed.TotalSeconds;

        public double CommandsPerSecond => Commands / Elapsed.TotalSeconds;

        public double CommitsPerCase => (double)Commits / Cases;

        /// <summary>SQL commands EF Core sent a case (its queries, its SaveChanges batches, its deliveries'), the benchmark's queue reads included.</summary>
        public double StatementsPerCase => (double)Statements / Cases;

        /// <summary>P1's target against WorkflowCore's in-memory cases a second.</summary>
        public const double WorkflowCoreGoal = 2.0;

        /// <summary>P1's target against the raw one-row commit rate, in commands a second.</summary>
        public const double CommitRateGoal = 0.30;

        /// <summary>Commands a case runs (filing, claims, completions).</summary>
        public double CommandsPerCase => (double)Commands / Cases;

        /// <summary>The processor milliseconds a command may take for this run to reach <see cref="WorkflowCoreGoal"/>.</summary>
        public double BudgetAtWorkflowCoreGoal(double workflowCoreCasesPerSecond) => CpuBudget(WorkflowCoreGoal * workflowCoreCasesPerSecond * CommandsPerCase);

        /// <summary>The processor milliseconds a command may take for this run to reach <see cref="CommitRateGoal"/>.</summary>
        public static double BudgetAtCommitRateGoal(double rawCommitsPerSecond) => CpuBudget(CommitRateGoal * rawCommitsPerSecond);

        /// <summary>
        /// The processor milliseconds a command may take, all its work included, for this machine's cores to run
        /// <paramref name="commandsPerSecond"/>: what a throughput target leaves each command, beside <see cref="CpuPerCommand"/>.
        /// </summary>
        private static double CpuBudget(double commandsPerSecond) => Environment.ProcessorCount * 1000.0 / commandsPerSecond;
    }

    public async Task<Result> RunAsync(int cases, int workers)
    {
        var applicant = await host.UserAsync("applicant@northern-lights.example");
        var officerCa = await host.UserAsync("officer1.ca@screening.example");
        var officerMx = await host.UserAsync("officer1.mx@screening.example");
        var decider = await host.UserAsync("decision.mx@screening.example");
        var filing = BilateralFiling();

        // Warm up: compile the definition, prepare scripts, JIT the handlers and let tiered compilation finish
        // the hot ones (the first seconds of a fresh process are mostly the JIT, not the steady state).
        await RunCaseAsync(applicant, officerCa, officerMx, decider, filing);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < WarmUpCases / workers; i++)
            {
                await RunCaseAsync(applicant, officerCa, officerMx, decider, filing);
            }
        })));
        await host.UndeliveredAsync(TimeSpan.FromMinutes(5));

        _costs.Clear();
        long commands = 0;
        var before = host.Commits.Now;
        var statements = host.Statements.Count;
        var next = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var jitted = System.Runtime.JitInfo.GetCompiledMethodCount();
        var jitTime = System.Runtime.JitInfo.GetCompilationTime();
        var watch = Stopwatch.StartNew();
        // Each worker on its own thread: SQLite's async calls complete synchronously, so workers started
        // on one thread without Task.Run would run one after the other.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= cases)
            {
                Interlocked.Add(ref commands, await RunCaseAsync(applicant, officerCa, officerMx, decider, filing));
            }
        })));
        // End to end: a case is done when its letters are made and its notifications and e-mail delivered,
        // which the job server does beside the commands; the clock stops once the run's deliveries are done.
        var answered = watch.Elapsed;
        var backlog = await host.UndeliveredAsync(TimeSpan.Zero);
        await host.UndeliveredAsync(TimeSpan.FromMinutes(5));
        watch.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        jitted = System.Runtime.JitInfo.GetCompiledMethodCount() - jitted;
        jitTime = System.Runtime.JitInfo.GetCompilationTime() - jitTime;
        var after = host.Commits.Now;
        var (held, commit) = after.MeanMillisecondsSince(before);
        return new Result(cases, commands, after.Count - before.Count, host.Statements.Count - statements, watch.Elapsed, held, commit, cpu, jitted, jitTime, backlog, watch.Elapsed - answered);
    }

    /// <summary>
    /// A Mexican host with Canada consulted: the bilateral path the CNIE decides outright (a Canadian host
    /// without concerns would wait out its 45 days; with them, its later stages are longer than the baseline).
    /// </summary>
    public static JsonNode BilateralFiling()
    {
        var filing = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed", "filings", "high-risk-lithium-ca.json")))!;
        filing["target"]!["jurisdiction"] = "MX";
        filing["target"]!["assetCountries"] = new JsonArray("MX", "CL");
        filing["target"]!["minerals"] = new JsonArray("copper");
        return filing;
    }

    private async Task<int> RunCaseAsync(CurrentUser applicant, CurrentUser officerCa, CurrentUser officerMx, CurrentUser decider, JsonNode filing)
    {
        var submitted = await TimedAsync("submit case", () => host.SendAsync(new SubmitCase(applicant.Id, filing.DeepClone(), null)));
        var commands = 1;
        commands += await WorkAsync(officerMx, submitted.Id, "intake-review", "certify");
        commands += await WorkAsync(officerCa, submitted.Id, "partner-consultation", "comment");
        commands += await WorkAsync(officerMx, submitted.Id, "host-review", "recommend-clear");
        commands += await WorkAsync(officerMx, submitted.Id, "consider-partner-comments", "considered");
        commands += await WorkAsync(decider, submitted.Id, "cnie-resolution", "approve");
        return commands;
    }

    private async Task<int> WorkAsync(CurrentUser official, Guid caseId, string step, string outcome)
    {
        var tasks = await TimedAsync("list tasks (query)", () => host.SendAsync(new ListTasks(official, "available", caseId, 1, 50)));
        var task = tasks.FirstOrDefault(t => t.Step == step) ?? throw new InvalidOperationException($"No '{step}' task for case {caseId}.");
        await TimedAsync("claim task", () => host.SendAsync(new ClaimTask(official, task.Id)));
        await TimedAsync("complete task", () => host.SendAsync(new CompleteTask(official, task.Id, new CompleteBody(outcome, "Benchmark.", []))));
        return 2;
    }
}
