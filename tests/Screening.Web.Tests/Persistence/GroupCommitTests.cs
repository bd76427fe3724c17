using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Audit;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Persistence;

/// <summary>
/// Commands that reach their commit while a transaction is in flight are written together (decision 0026). These
/// tests hold the writer inside a first transaction, queue the commands behind it, and let it go, so the commands
/// are known to share the next transaction; then they assert what each caller was answered and what is stored.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private const string Hold = "test.hold";
    private readonly HoldingFactory _factory = new();
    private readonly CaseSteps _steps;

    public GroupCommitTests() => _steps = new CaseSteps(_factory);

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ACommandThatFailsInABatchGetsItsOwnErrorAndTheOthersCommit()
    {
        var caseId = Guid.Parse(await _steps.Scenario.FileAsync(Scenario.LowRiskCa()));
        var shared = Guid.NewGuid();

        var (first, clash, third) = await InOneBatchAsync(
            caseId,
            () => Note(caseId, shared, "First, committed."),
            () => Note(caseId, shared, "Same key as the first: refused alone."),
            () => Note(caseId, Guid.NewGuid(), "Third, committed after the refused one."));

        await first;
        await Assert.ThrowsAsync<DbUpdateException>(() => clash);
        await third;
        await AssertTheFirstAndThirdStoredAndTheRefusedNotAsync(caseId);
    }

    [Fact]
    public async Task ACommandAloneThatFailsChangesNothingAndTheNextCommandCommits()
    {
        var caseId = Guid.Parse(await _steps.Scenario.FileAsync(Scenario.LowRiskCa()));
        var writer = _factory.Services.GetRequiredService<GroupCommit>();
        var shared = Guid.NewGuid();

        // Each alone in its transaction (no savepoint): the refused one's transaction is rolled back whole.
        await Note(caseId, shared, "First, committed.").Commit;
        var before = writer.Written;
        await Assert.ThrowsAsync<DbUpdateException>(() => Note(caseId, shared, "Same key as the first: refused alone.").Commit);
        await Note(caseId, Guid.NewGuid(), "Third, committed after the refused one.").Commit;
        Assert.Equal((before.Batches + 2, before.Commands + 2), writer.Written);

        await AssertTheFirstAndThirdStoredAndTheRefusedNotAsync(caseId);
    }

    [Fact]
    public async Task ASetBasedStatementCommitsWithItsCommandAndOneThatFailsRefusesItsCommandAlone()
    {
        var caseId = Guid.Parse(await _steps.Scenario.FileAsync(Scenario.LowRiskCa()));
        var (first, refused, third) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        // Each statement runs after its command's rows are saved (it finds its own note) and inside its savepoint:
        // what the failing one changed, of its own note and of the first command's, goes back with it.
        var (committed, failing, after) = await InOneBatchAsync(
            caseId,
            () => Note(caseId, first, "First, committed.", Mark(first)),
            () => Note(caseId, refused, "Its statement fails: refused alone.", async d =>
            {
                await Mark(refused)(d);
                await Mark(first)(d);
                throw new DbUpdateConcurrencyException("The statement found the row changed.");
            }),
            () => Note(caseId, third, "Third, committed after the refused one.", Mark(third)));

        await committed;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => failing);
        await after;
        await AssertTheFirstAndThirdStoredAndTheRefusedNotAsync(caseId, " Marked.");
    }

    [Fact]
    public async Task CommandsOverHttpQueuedBehindOneTransactionCommitTogetherAndLeaveAVerifiedTrail()
    {
        var certified = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            certified.Add(await _steps.FileCertifiedAsync(Scenario.LowRiskCa()));
        }

        // Another officer than the one who certified: four eyes.
        var officer = _factory.As(ScreeningFactory.OfficerCa2);
        var tasks = new List<string>();
        foreach (var id in certified)
        {
            tasks.Add((await _steps.Scenario.TaskAsync(ScreeningFactory.OfficerCa2, id, "host-review")).S("id"));
        }

        _ = _factory.As(ScreeningFactory.Applicant);
        var writer = _factory.Services.GetRequiredService<GroupCommit>();
        var held = await HoldWriterAsync(Guid.Parse(certified[0]));

        var before = writer.Written;
        var calls = new List<Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)>>();
        calls.AddRange(Enumerable.Range(0, 4).Select(_ => _factory.As(ScreeningFactory.Applicant).Post("/api/cases", Scenario.LowRiskMx())));
        calls.AddRange(tasks.Select(t => officer.Post($"/api/tasks/{t}/claim")));
        calls.Add(officer.Post($"/api/cases/{certified[1]}/notes", new { text = "Read the filing.", restricted = false }));
        await WaitUntilAsync(() => writer.Queued == calls.Count);
        _factory.Release();
        await held.Commit;
        var answers = await Task.WhenAll(calls);

        Assert.All(answers.Take(4), a => Assert.Equal(HttpStatusCode.Created, a.Status));
        Assert.All(answers.Skip(4), a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created, $"{a.Status}: {a.Body}"));
        Assert.Equal((before.Batches + 2, before.Commands + 1 + calls.Count), writer.Written);
        foreach (var task in tasks)
        {
            var stored = await _factory.StoredTaskAsync(task);
            Assert.Equal(("claimed", await _factory.UserIdAsync(ScreeningFactory.OfficerCa2)), (stored.Status, stored.Assignee));
        }

        foreach (var created in answers.Take(4))
        {
            Assert.Equal(created.Body.S("reference"), (await _factory.StoredCaseAsync(created.Body.S("id"))).Reference);
        }

        await AssertVerifiedAndConsistentAsync();
    }

    /// <summary>A command the writer is held inside, so that what comes next queues behind it.</summary>
    private async Task<Pending> HoldWriterAsync(Guid caseId)
    {
        var scope = _factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("test", Hold, caseId);
        var commit = scope.ServiceProvider.GetRequiredService<UnitOfWork>().CommitAsync(CancellationToken.None);
        await _factory.Holding.WaitAsync(TimeSpan.FromSeconds(30));
        return new Pending(scope, commit);
    }

    /// <summary>
    /// Queues three commands behind a held writer and lets it go, so they share the next transaction; returns their
    /// commits once all three are answered, having checked that one COMMIT wrote them.
    /// </summary>
    private async Task<(Task First, Task Second, Task Third)> InOneBatchAsync(Guid caseId, Func<Pending> first, Func<Pending> second, Func<Pending> third)
    {
        var writer = _factory.Services.GetRequiredService<GroupCommit>();
        var before = writer.Written;
        var held = await HoldWriterAsync(caseId);
        var commits = (first().Commit, second().Commit, third().Commit);
        Assert.Equal(3, writer.Queued);
        _factory.Release();
        await held.Commit;

        await Task.WhenAll(commits.Item1, commits.Item2, commits.Item3).ContinueWith(_ => { }, TaskScheduler.Default);
        // The held command's transaction, then one for the three.
        Assert.Equal((before.Batches + 2, before.Commands + 4), writer.Written);
        return commits;
    }

    private Pending Note(Guid caseId, Guid id, string text, Func<ScreeningDbContext, Task>? statement = null)
    {
        var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
        db.Notes.Add(new CaseNote { Id = id, CaseId = caseId, AuthorId = "test", Jurisdiction = "CA", Restricted = false, Text = text, At = DateTime.UtcNow });
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("test", "note.added", caseId, new { note = id, text });
        var unitOfWork = scope.ServiceProvider.GetRequiredService<UnitOfWork>();
        if (statement is not null)
        {
            unitOfWork.Execute(statement);
        }

        return new Pending(scope, unitOfWork.CommitAsync(CancellationToken.None));
    }

    /// <summary>A set-based statement that appends " Marked." to a note's text.</summary>
    private static Func<ScreeningDbContext, Task> Mark(Guid noteId) => db =>
        db.Notes.Where(n => n.Id == noteId).ExecuteUpdateAsync(s => s.SetProperty(n => n.Text, n => n.Text + " Marked."));

    /// <summary>
    /// The first and third notes (their texts ending in <paramref name="suffix"/>) and their audit entries stored,
    /// nothing of the refused one, and a trail without gaps that verifies.
    /// </summary>
    private async Task AssertTheFirstAndThirdStoredAndTheRefusedNotAsync(Guid caseId, string suffix = "")
    {
        var notes = await _factory.QueryAsync(db => db.Notes.AsNoTracking().Where(n => n.CaseId == caseId).Select(n => n.Text).ToListAsync());
        Assert.Equal(["First, committed." + suffix, "Third, committed after the refused one." + suffix], notes.Order());
        var trail = await _factory.QueryAsync(db => db.Audit.AsNoTracking().OrderBy(a => a.Seq).ToListAsync());
        Assert.Equal(Enumerable.Range(1, trail.Count).Select(i => (long)i), trail.Select(a => a.Seq));
        Assert.DoesNotContain(trail, a => a.DataJson.Contains("refused alone", StringComparison.Ordinal));
        Assert.Equal(2, trail.Count(a => a.Action == "note.added" && a.CaseId == caseId));
        await AssertVerifiedAndConsistentAsync();
    }

    private async Task AssertVerifiedAndConsistentAsync()
    {
        var admin = _factory.As(ScreeningFactory.Admin);
        var verify = await admin.Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        var consistency = await admin.Get("/api/admin/consistency").Ok();
        Assert.True(consistency["consistent"]!.GetValue<bool>(), consistency.ToJsonString());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Yield();
            timeout.Token.ThrowIfCancellationRequested();
        }
    }

    private sealed record Pending(AsyncServiceScope Scope, Task Commit);

    /// <summary>The host with a save that waits, while it writes the audit entry <see cref="Hold"/>, until the test releases it.</summary>
    private sealed class HoldingFactory : ScreeningFactory
    {
        private readonly HoldingInterceptor _interceptor = new();

        public Task Holding => _interceptor.Holding.Task;

        public void Release() => _interceptor.Released.TrySetResult();

        protected override IReadOnlyList<IInterceptor> Interceptors => [_interceptor];
    }

    /// <summary>Holds the statement that inserts the hold's audit entry until released.</summary>
    private sealed class HoldingInterceptor : DbCommandInterceptor
    {
        public TaskCompletionSource Holding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("\"AuditEntries\"", StringComparison.Ordinal)
                && command.Parameters.Cast<System.Data.Common.DbParameter>().Any(p => Hold.Equals(p.Value)))
            {
                Holding.TrySetResult();
                await Released.Task;
            }

            return result;
        }
    }
}
