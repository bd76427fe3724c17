using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Persistence;
using Screening.Web.Reviews;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P2: with many open cases and their tasks in the database, the top 50 of an officer's available queue,
/// through the same query handler the API and UI use. Baseline: fetching one task by its key, the floor of
/// any query through the same stack.
/// </summary>
public sealed class QueueLatency(InProcessHost host, string dataDirectory)
{
    public sealed record Result(int OpenCases, double P50, double P95, double P99, double BaselineP50, double BaselineP95, double KeptP95, string Plan);

    public async Task<Result> RunAsync(int openCases, int samples)
    {
        Generate(openCases);
        var officer = await host.UserAsync("officer1.ca@screening.example");
        var query = new ListTasks(officer, "available", null, 1, 50);
        for (var i = 0; i < 20; i++)
        {
            await host.SendAsync(query);
        }

        // What a read costs when something changed: the page from the queue index, no kept page.
        var timings = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            await using var scope = host.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            var watch = Stopwatch.StartNew();
            var page = await ListTasksHandler.ReadAsync(db, query, DateTimeOffset.UtcNow, CancellationToken.None);
            timings.Add(watch.Elapsed.TotalMilliseconds);
            if (page.Count != 50)
            {
                throw new InvalidOperationException($"The queue returned {page.Count} tasks instead of 50.");
            }
        }

        // And when nothing changed: the kept page.
        var kept = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var watch = Stopwatch.StartNew();
            _ = await host.SendAsync(query);
            kept.Add(watch.Elapsed.TotalMilliseconds);
        }

        var anyId = (await host.SendAsync(query))[0].Id;
        var baseline = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            await using var scope = host.App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            var watch = Stopwatch.StartNew();
            _ = await db.Tasks.AsNoTracking().FirstAsync(t => t.Id == anyId);
            baseline.Add(watch.Elapsed.TotalMilliseconds);
        }

        return new Result(openCases, Stats.Percentile(timings, 50), Stats.Percentile(timings, 95), Stats.Percentile(timings, 99),
            Stats.Percentile(baseline, 50), Stats.Percentile(baseline, 95), Stats.Percentile(kept, 95), await PlanAsync(query));
    }

    /// <summary>The query plan of the statement the handler runs, caught as EF Core sends it and explained with its own parameters.</summary>
    private async Task<string> PlanAsync(ListTasks query)
    {
        (string Sql, List<(string Name, object? Value)> Parameters)? caught = null;
        var subscriptions = new List<IDisposable>();
        void Catch(KeyValuePair<string, object?> e)
        {
            if (e.Key == RelationalEventId.CommandExecuting.Name && e.Value is CommandEventData { Command: var command }
                && command.CommandText.Contains("ExcludedActorsJson", StringComparison.Ordinal))
            {
                caught ??= (command.CommandText, [.. command.Parameters.Cast<System.Data.Common.DbParameter>().Select(p => (p.ParameterName, p.Value))]);
            }
        }

        using (DiagnosticListener.AllListeners.Subscribe(new Observer<DiagnosticListener>(listener =>
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                lock (subscriptions)
                {
                    subscriptions.Add(listener.Subscribe(new Observer<KeyValuePair<string, object?>>(Catch)));
                }
            }
        })))
        {
            // EF Core checks whether anyone listens at most about once a second, so the first reads may go unseen.
            for (var attempt = 0; caught is null && attempt < 50; attempt++)
            {
                await using var scope = host.App.Services.CreateAsyncScope();
                _ = await ListTasksHandler.ReadAsync(scope.ServiceProvider.GetRequiredService<ScreeningDbContext>(), query, DateTimeOffset.UtcNow, CancellationToken.None);
                await Task.Delay(100);
            }
        }

        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }

        var (sql, parameters) = caught ?? throw new InvalidOperationException("The queue's statement was not seen.");
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "screening.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var (name, value) in parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var plan = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return string.Join("; ", plan);
    }

    private sealed class Observer<T>(Action<T> next) : IObserver<T>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(T value) => next(value);
    }

    /// <summary>Open cases with one open task each, spread over both jurisdictions, roles and due dates.</summary>
    private void Generate(int openCases)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "screening.db")};Pooling=False");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var caseInsert = connection.CreateCommand();
        caseInsert.Transaction = transaction;
        caseInsert.CommandText = "INSERT INTO Cases (Id, Reference, ApplicantId, HostJurisdiction, Jurisdictions, Status, Stage, RiskLevel, FilingJson, InvestorName, TargetName, SubmittedAt, UpdatedAt) " +
            "VALUES ($id, $ref, 'bench', $j, $j, 'in-review', 'review', 'low', '{}', 'Investor', 'Target', $at, $at)";
        using var taskInsert = connection.CreateCommand();
        taskInsert.Transaction = transaction;
        taskInsert.CommandText = "INSERT INTO Tasks (Id, CaseId, CaseReference, StepId, Title, Role, Jurisdiction, OutcomesJson, ExcludedActorsJson, RequiresJson, TextsJson, DueAt, QueueOrder, AllowsInformationRequests, Status, CreatedAt, Escalated, RiskLevel, Version) " +
            "VALUES ($id, $case, $ref, 'host-review', 'Review', $role, $j, '[\"recommend-clear\"]', '[]', '{}', '{}', $due, $due, 1, 'open', $at, 0, 'low', 0)";
        string[] parameters = ["$id", "$ref", "$j", "$at"];
        foreach (var p in parameters)
        {
            caseInsert.Parameters.Add(p, SqliteType.Text);
        }

        foreach (var p in new[] { "$id", "$case", "$ref", "$role", "$j", "$due", "$at" })
        {
            taskInsert.Parameters.Add(p, SqliteType.Text);
        }

        var random = new Random(42);
        var start = new DateTime(2027, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < openCases; i++)
        {
            var caseId = Guid.NewGuid().ToString().ToUpperInvariant();
            var reference = $"SCR-BENCH-{i:D7}";
            var jurisdiction = i % 2 == 0 ? "CA" : "MX";
            var at = Text(start.AddMinutes(i));
            caseInsert.Parameters["$id"].Value = caseId;
            caseInsert.Parameters["$ref"].Value = reference;
            caseInsert.Parameters["$j"].Value = jurisdiction;
            caseInsert.Parameters["$at"].Value = at;
            caseInsert.ExecuteNonQuery();
            taskInsert.Parameters["$id"].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            taskInsert.Parameters["$case"].Value = caseId;
            taskInsert.Parameters["$ref"].Value = reference;
            taskInsert.Parameters["$role"].Value = random.Next(4) == 0 ? "decision-maker" : "officer";
            taskInsert.Parameters["$j"].Value = jurisdiction;
            taskInsert.Parameters["$due"].Value = Text(start.AddDays(random.Next(0, 120)).AddMinutes(random.Next(0, 1440)));
            taskInsert.Parameters["$at"].Value = at;
            taskInsert.ExecuteNonQuery();
        }

        transaction.Commit();
        using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }

    private static string Text(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
