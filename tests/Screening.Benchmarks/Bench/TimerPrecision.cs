using System.Collections.Concurrent;
using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.SQLite;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P3: deadlines due within the same minute, scheduled through the real Hangfire SQLite storage with the
/// host's settings (1 s polling, two workers): how late each fires, and proof that each fires once.
/// </summary>
public static class TimerPrecision
{
    private static readonly ConcurrentDictionary<int, ConcurrentBag<double>> Fired = new();

    public sealed record Result(int Timers, int FiredOnce, int Duplicates, int Missing, double P50, double P99, double Max, TimeSpan Window);

    public static async Task<Result> RunAsync(string directory, int timers, TimeSpan window)
    {
        Fired.Clear();
        var storage = new SQLiteStorage(Path.Combine(directory, "timers-bench.db"), new SQLiteStorageOptions
        {
            QueuePollInterval = TimeSpan.FromSeconds(1),
            InvisibilityTimeout = TimeSpan.FromMinutes(1),
        });
        var client = new BackgroundJobClient(storage);
        var start = DateTimeOffset.UtcNow.AddSeconds(15 + timers / 400.0);
        var scheduling = Stopwatch.StartNew();
        for (var i = 0; i < timers; i++)
        {
            var due = start + window * i / timers;
            client.Schedule(() => Fire(i, due.UtcTicks), due);
        }

        scheduling.Stop();
        using (new BackgroundJobServer(new BackgroundJobServerOptions
        {
            WorkerCount = 2,
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
            ServerCheckInterval = TimeSpan.FromSeconds(30),
        }, storage))
        {
            var deadline = start + window + TimeSpan.FromMinutes(3);
            while (Fired.Count < timers && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            await Task.Delay(TimeSpan.FromSeconds(3)); // let a duplicate, if any, show up
        }

        var lateness = Fired.Values.Select(b => b.Min()).Order().ToList();
        return new Result(timers, Fired.Count(f => f.Value.Count == 1), Fired.Sum(f => f.Value.Count - 1), timers - Fired.Count,
            Stats.Percentile(lateness, 50), Stats.Percentile(lateness, 99), lateness.Count == 0 ? double.NaN : lateness[^1], window);
    }

    /// <summary>The job: records how many seconds after its due instant it ran.</summary>
    public static void Fire(int id, long dueTicks) =>
        Fired.GetOrAdd(id, _ => []).Add((DateTimeOffset.UtcNow.UtcTicks - dueTicks) / (double)TimeSpan.TicksPerSecond);
}
