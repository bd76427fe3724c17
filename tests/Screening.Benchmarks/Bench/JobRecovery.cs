using System.Diagnostics;
using Hangfire;
using Hangfire.Storage.SQLite;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// How long a job that was running when its process was killed waits before another process runs it
/// again, with the host's Hangfire settings (SQLite storage, its polling interval and 1 minute invisibility timeout).
/// The parent starts a child process that begins a slow job, kills the child mid-job with SIGKILL,
/// starts a second child, and times the job's second start.
/// </summary>
public static class JobRecovery
{
    public static async Task<TimeSpan> MeasureAsync(string directory)
    {
        var database = Path.Combine(directory, "recovery-jobs.db");
        var marks = Path.Combine(directory, "recovery-marks");
        Directory.CreateDirectory(marks);
        using (var first = Child(database, marks, enqueue: true))
        {
            await WaitForAsync(() => Directory.GetFiles(marks).Length >= 1, TimeSpan.FromSeconds(60));
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var killed = Stopwatch.StartNew();
        using var second = Child(database, marks, enqueue: false);
        await WaitForAsync(() => Directory.GetFiles(marks).Length >= 2, TimeSpan.FromMinutes(5));
        var elapsed = killed.Elapsed;
        second.Kill(entireProcessTree: true);
        await second.WaitForExitAsync();
        return elapsed;
    }

    /// <summary>The child's side: run a job server, enqueue the slow job if asked, and wait to be killed.</summary>
    public static void RunChild(string database, string marks, bool enqueue)
    {
        var host = new Screening.Web.Hosting.JobOptions();
        var storage = new SQLiteStorage(database, new SQLiteStorageOptions { QueuePollInterval = host.PollInterval, InvisibilityTimeout = host.InvisibilityTimeout });
        JobStorage.Current = storage;
        if (enqueue)
        {
            new BackgroundJobClient(storage).Enqueue(() => Slow(marks));
        }

        using var server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = 2, SchedulePollingInterval = TimeSpan.FromSeconds(1) }, storage);
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>The job: marks that it started, then works for longer than anyone waits.</summary>
    public static void Slow(string marks)
    {
        File.WriteAllText(Path.Combine(marks, Guid.NewGuid().ToString("N")), DateTime.UtcNow.ToString("O"));
        Thread.Sleep(TimeSpan.FromMinutes(10));
    }

    private static Process Child(string database, string marks, bool enqueue)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Screening.Benchmarks.dll"));
        info.ArgumentList.Add("recovery-child");
        info.ArgumentList.Add(database);
        info.ArgumentList.Add(marks);
        info.ArgumentList.Add(enqueue ? "enqueue" : "serve");
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException("The job did not run.");
            }

            await Task.Delay(100);
        }
    }
}
