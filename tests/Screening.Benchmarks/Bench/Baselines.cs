using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace Screening.Benchmarks.Bench;

/// <summary>The physical limit: one-row transactions on the same disk, WAL and synchronous=FULL.</summary>
public static class SqliteCommitBaseline
{
    public static double CommitsPerSecond(string directory, int commits)
    {
        var path = Path.Combine(directory, "raw-commits.db");
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);");
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO t (v) VALUES ($v)";
        var value = insert.Parameters.Add("$v", SqliteType.Text);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < commits; i++)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            value.Value = "row " + i;
            insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return commits / watch.Elapsed.TotalSeconds;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

/// <summary>
/// The peer engine: WorkflowCore 3.22 with its in-memory persistence running the same shape of workflow —
/// a step, a decision, two parallel branches each waiting for an external event (the two reviewers), a
/// final step.
/// </summary>
public static class WorkflowCoreBaseline
{
    public static async Task<double> CasesPerSecondAsync(int cases)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddWorkflow(o => o.UsePollInterval(TimeSpan.FromMilliseconds(100)));
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IWorkflowHost>();
        host.RegisterWorkflow<ScreeningShape, CaseData>();
        await host.StartAsync(CancellationToken.None);
        Finished.Reset(cases);

        var watch = Stopwatch.StartNew();
        var ids = new List<string>(cases);
        for (var i = 0; i < cases; i++)
        {
            var key = $"case-{i}";
            ids.Add(key);
            await host.StartWorkflow("screening-shape", new CaseData { Key = key, HighRisk = i % 2 == 0 });
        }

        foreach (var key in ids)
        {
            await host.PublishEvent("host-review", key, "clear");
            await host.PublishEvent("partner-review", key, "no-comment");
        }

        await Finished.WaitAsync(TimeSpan.FromMinutes(10));
        var rate = cases / watch.Elapsed.TotalSeconds;
        await host.StopAsync(CancellationToken.None);
        return rate;
    }

    public sealed class CaseData
    {
        public string Key { get; set; } = "";

        public bool HighRisk { get; set; }

        public string? Triage { get; set; }
    }

    public sealed class ScreeningShape : IWorkflow<CaseData>
    {
        public string Id => "screening-shape";

        public int Version => 1;

        public void Build(IWorkflowBuilder<CaseData> builder) => builder
            .StartWith(context => ExecutionResult.Next())
            .Then(context => ExecutionResult.Next())
            .If(data => data.HighRisk).Do(then => then.StartWith(context => ExecutionResult.Next()))
            .Parallel()
                .Do(then => then.StartWith(context => ExecutionResult.Next()).WaitFor("host-review", (data, context) => data.Key, data => DateTime.MinValue))
                .Do(then => then.StartWith(context => ExecutionResult.Next()).WaitFor("partner-review", (data, context) => data.Key, data => DateTime.MinValue))
            .Join()
            .Then(context =>
            {
                Finished.Signal();
                return ExecutionResult.Next();
            });
    }

    private static class Finished
    {
        private static int _remaining;
        private static TaskCompletionSource _done = new();

        public static void Reset(int count)
        {
            _remaining = count;
            _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        public static void Signal()
        {
            if (Interlocked.Decrement(ref _remaining) == 0)
            {
                _done.TrySetResult();
            }
        }

        public static Task WaitAsync(TimeSpan timeout) => _done.Task.WaitAsync(timeout);
    }
}
