using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Admin;
using Screening.Web.Audit;
using Screening.Web.Definitions;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P3: deadlines due within the same minute, fired by the host's own timer path: rows in its database, jobs
/// in the real Hangfire SQLite storage with the host's settings (0.5 s polling, two workers), and the fire
/// command resuming each waiting instance. How late each fires, by the rows' own instants, and the audit
/// trail's proof that each fired once.
/// </summary>
public static class TimerPrecision
{
    private const string Key = "bench-deadline";

    private const string Definition = """
        {
          "key": "bench-deadline", "name": "A deadline", "start": "wait",
          "steps": [
            { "id": "wait", "type": "timer", "settings": { "wait": { "days": 1, "unit": "calendar", "calendar": "CA" } }, "outcomes": { "done": "finish" } },
            { "id": "finish", "type": "end" }
          ]
        }
        """;

    public sealed record Result(int Timers, int FiredOnce, int Duplicates, int Missing, double P50, double P99, double Max, TimeSpan Window, int SlotJobs);

    public static async Task<Result> RunAsync(string directory, int timers, TimeSpan window)
    {
        var data = Path.Combine(directory, "timers");
        Directory.CreateDirectory(data);
        await using var host = await InProcessHost.StartAsync(data, new Dictionary<string, string?>
        {
            ["Screening:Clock:Simulated"] = "false",
            ["Screening:Jobs:Storage"] = "Sqlite",
            ["Screening:Jobs:RunServer"] = "true",
        }, services => services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SimulatedTimeProvider>()), start: false);

        // Instances each waiting on a one-day timer: all due at the same end of day.
        await host.SendAsync(new SaveDraft("bench", Key, JsonNode.Parse(Definition)));
        await host.SendAsync(new PublishDefinition("bench", Key));
        await Parallel.ForAsync(0, timers, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, ct) => await StartAsync(host, i, ct));

        // Spread the deadlines over the window (later than the instants the instances wait for, so each is due
        // when its row is), put the host's clock just before the first, and schedule them as a command would.
        var database = Path.Combine(data, "screening.db");
        var instants = Spread(database, window);
        var first = instants.Min();
        var clock = host.App.Services.GetRequiredService<SimulatedTimeProvider>();
        clock.SetOffset(first - TimeSpan.FromSeconds(10) - DateTime.UtcNow);
        await using (var scope = host.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            var dispatcher = scope.ServiceProvider.GetRequiredService<JobDispatcher>();
            foreach (var row in await db.Timers.AsNoTracking().Where(t => t.State == TimerStates.Pending).ToListAsync())
            {
                dispatcher.TimerScheduled(row);
            }

            await dispatcher.FlushAsync(CancellationToken.None);
        }

        await host.App.StartAsync();
        var deadline = DateTime.UtcNow + window + TimeSpan.FromMinutes(3);
        while (Pending(database) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // let a duplicate, if any, show up
        await host.App.StopAsync();

        using var connection = Open(database);
        var lateness = Query(connection, "SELECT DueAt, FiredAt FROM Timers WHERE State = 'fired'", r => (r.GetDateTime(1) - r.GetDateTime(0)).TotalSeconds).Order().ToList();
        var firings = Query(connection, "SELECT json_extract(DataJson, '$.timer') FROM AuditEntries WHERE Action = 'timer.fired'", r => r.GetString(0))
            .GroupBy(t => t).Select(g => g.Count()).ToList();
        var slotJobs = Query(connection, "SELECT COUNT(DISTINCT JobId) FROM Timers", r => r.GetInt32(0)).Single();
        return new Result(timers, firings.Count(c => c == 1), firings.Sum(c => c - 1), timers - firings.Count,
            Stats.Percentile(lateness, 50), Stats.Percentile(lateness, 99), lateness.Count == 0 ? double.NaN : lateness[^1], window, slotJobs);
    }

    private static async Task StartAsync(InProcessHost host, int i, CancellationToken cancellationToken)
    {
        await using var scope = host.App.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ScreeningDbContext>();
        var definition = await services.GetRequiredService<DefinitionCatalog>().GetPublishedAsync(db, Key, cancellationToken)
            ?? throw new InvalidOperationException("The bench definition is not published.");
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var record = new CaseRecord
        {
            Id = Guid.CreateVersion7(),
            Reference = $"BENCH-{i:D6}",
            ApplicantId = "bench",
            HostJurisdiction = "CA",
            Jurisdictions = "CA",
            Status = CaseStatuses.Submitted,
            FilingJson = "{}",
            InvestorName = "Bench",
            TargetName = "Bench",
            SubmittedAt = now,
        };
        await services.GetRequiredService<CaseCommands>().StartAsync(record, definition, [], new CaseCommand("bench", "case.submitted"), cancellationToken);
    }

    private static List<DateTime> Spread(string database, TimeSpan window)
    {
        using var connection = Open(database);
        using var transaction = connection.BeginTransaction();
        var rows = Query(connection, "SELECT Id, DueAt FROM Timers WHERE State = 'pending' ORDER BY Id", r => (r.GetString(0), r.GetDateTime(1)), transaction);
        var start = rows.Max(r => r.Item2);
        var instants = new List<DateTime>(rows.Count);
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE Timers SET DueAt = $due, JobId = NULL WHERE Id = $id";
        var due = update.Parameters.Add("$due", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Text);
        for (var i = 0; i < rows.Count; i++)
        {
            var instant = start + window * (i + 1) / rows.Count;
            instants.Add(instant);
            due.Value = instant;
            id.Value = rows[i].Item1;
            update.ExecuteNonQuery();
        }

        transaction.Commit();
        return instants;
    }

    private static int Pending(string database)
    {
        using var connection = Open(database);
        return Query(connection, "SELECT COUNT(*) FROM Timers WHERE State = 'pending'", r => r.GetInt32(0)).Single();
    }

    private static SqliteConnection Open(string database)
    {
        var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        return connection;
    }

    private static List<T> Query<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> read, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
