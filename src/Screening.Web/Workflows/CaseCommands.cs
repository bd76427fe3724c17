using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Screening.Web.Audit;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>A case with its workflow, loaded for one command.</summary>
public sealed class LoadedCase
{
    public required CaseRecord Case { get; init; }

    public required WorkflowInstanceRecord Record { get; init; }

    public required WorkflowInstance Instance { get; init; }

    public required CompiledDefinition Definition { get; init; }

    public required WorkflowRunner Runner { get; init; }

    /// <summary>What of the instance's journal is stored already.</summary>
    public required JournalMark Journal { get; init; }

    /// <summary>The instance's row is stored and not tracked: the command updates it by its key under the version it read.</summary>
    public bool ByKey { get; init; }
}

/// <summary>
/// What a command is, for the one command path: who acts, the audit action it is recorded as (with its own data),
/// and the words its refusals are answered with.
/// </summary>
public sealed record CaseCommand(string Actor, string Action)
{
    /// <summary>The command's own facts, recorded in its audit entry beside what the workflow did.</summary>
    public object? Data { get; init; }

    /// <summary>The field a refused input is reported at (a 400).</summary>
    public string InputPath { get; init; } = "$";

    /// <summary>What a repeat of something already done is answered with (a 409).</summary>
    public string AlreadyDone { get; init; } = "That was already done; nothing changed.";

    /// <summary>What a missing bookmark is answered with (a 404).</summary>
    public string NotFound { get; init; } = "There is no such case.";

    /// <summary>Outcomes the caller handles itself: returned without a commit instead of answered as a problem.</summary>
    public IReadOnlySet<ResumeStatus> Tolerated { get; init; } = new HashSet<ResumeStatus>();
}

/// <summary>A command's run: the case it ran on and what the engine did.</summary>
public sealed record CaseRun(LoadedCase Loaded, RunResult Result);

/// <summary>
/// The one command path of every workflow command, handler and job alike: load the case and its instance,
/// make one engine call, project what it did onto the case's rows, record one audit entry with the step trace,
/// and commit — or answer the engine's refusal as a problem, having changed nothing.
/// </summary>
public sealed class CaseCommands(
    ScreeningDbContext db,
    DefinitionCatalog catalog,
    CalendarCache calendars,
    TimeProvider time,
    CaseProjection projection,
    AuditTrail audit,
    UnitOfWork unitOfWork,
    KeptInstances kept,
    IStringLocalizer<Strings> text)
{
    /// <summary>The case, tracked, and its instance's definition and version: compiled once, every command starts with it.</summary>
    private static readonly Func<ScreeningDbContext, Guid, CancellationToken, Task<CaseHeader?>> CaseWithInstance =
        EF.CompileAsyncQuery((ScreeningDbContext db, Guid caseId, CancellationToken _) =>
            (from c in db.Cases
             join i in db.Instances on c.Id equals i.Id
             where c.Id == caseId
             select new CaseHeader(c, i.DefinitionKey, i.DefinitionVersion, i.Version)).FirstOrDefault());

    private sealed record CaseHeader(CaseRecord Case, string DefinitionKey, int DefinitionVersion, long Version);

    /// <summary>True while the connection <see cref="RunAsync"/> opened for a command's reads is open.</summary>
    private bool _readsOpen;

    /// <summary>Creates a case's instance from a definition, runs it until it blocks and commits it with the case.</summary>
    public async Task<CaseRun> StartAsync(CaseRecord record, CompiledDefinition definition, JsonObject filing, CaseCommand command, CancellationToken cancellationToken, JsonObject? facts = null)
    {
        var runner = Runner();
        // The filing's receipt is a fact of the case the periods count from (a certified date, the CNIE's day 1).
        var input = new JsonObject { ["filing"] = filing, ["receivedAt"] = CaseViews.Utc(record.SubmittedAt).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (name, value) in facts ?? [])
        {
            input[name] = value?.DeepClone();
        }

        var result = runner.Start(definition, record.Id.ToString(), input, command.Actor);
        var stored = new WorkflowInstanceRecord
        {
            Id = record.Id,
            DefinitionKey = definition.Definition.Key,
            DefinitionVersion = definition.Definition.Version,
            Status = string.Empty,
            StateJson = string.Empty,
        };
        db.Cases.Add(record);
        db.Instances.Add(stored);
        var loaded = new LoadedCase { Case = record, Record = stored, Instance = result.Instance, Definition = definition, Runner = runner, Journal = JournalMark.None };
        await CommitAsync(loaded, result, command, cancellationToken);
        return new CaseRun(loaded, result);
    }

    /// <summary>
    /// Runs one engine call against a case and commits what it did. The call may check the loaded case first and
    /// throw a problem of its own (the caller's right to act). Null when there is no such case.
    /// </summary>
    public async Task<CaseRun?> RunAsync(Guid caseId, CaseCommand command, Func<LoadedCase, RunResult> run, CancellationToken cancellationToken)
    {
        // One connection for the command's reads, not one taken from the pool and given back for each (each open
        // also registers the provider's SQL functions again). The commit closes it first, for the writer's; so
        // does the end of a refused command, since the context goes back to its pool.
        await db.Database.OpenConnectionAsync(cancellationToken);
        _readsOpen = true;
        try
        {
            var loaded = await LoadAsync(caseId, cancellationToken);
            if (loaded is null)
            {
                return null;
            }

            var result = run(loaded);
            if (!result.Succeeded)
            {
                return command.Tolerated.Contains(result.Status) ? new CaseRun(loaded, result) : throw Refused(result, command);
            }

            await CommitAsync(loaded, result, command, cancellationToken);
            return new CaseRun(loaded, result);
        }
        finally
        {
            await CloseReadsAsync();
        }
    }

    /// <summary>
    /// Loads a case (tracked) and its workflow: the instance kept in memory when it is the version just read, else
    /// the stored state and journal. The rows a run touches are loaded after it, by <see cref="CaseProjection"/>.
    /// </summary>
    public async Task<LoadedCase?> LoadAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var pair = await CaseWithInstance(db, caseId, cancellationToken);
        if (pair is null)
        {
            return null;
        }

        var definition = await catalog.GetAsync(db, pair.DefinitionKey, pair.DefinitionVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Definition {pair.DefinitionKey} v{pair.DefinitionVersion} of case {caseId} is missing.");
        // The row is written by its key and guarded by the version read here, whether the state came from memory or
        // not: by a statement of its own (decision 0031), unless this context tracks it (it added it).
        var tracked = db.Tracked<WorkflowInstanceRecord>(caseId);
        var record = tracked ?? WorkflowInstanceRecord.Header(caseId, pair.DefinitionKey, pair.DefinitionVersion, pair.Version);

        var instance = kept.Take(caseId, record.Version) ?? await ReadAsync(caseId, cancellationToken);
        return new LoadedCase
        {
            Case = pair.Case,
            Record = record,
            Instance = instance.Instance,
            Definition = definition,
            Runner = Runner(),
            Journal = instance.Journal,
            ByKey = tracked is null,
        };
    }

    /// <summary>The stored instance: its state, and its journal from its rows (or, stored before there were rows, from its state).</summary>
    private async Task<KeptInstance> ReadAsync(Guid caseId, CancellationToken cancellationToken)
    {
        // The state with its own version, and only the journal rows of that version and before: a command committing
        // between the two reads adds a row the state does not know yet. Committed rows never change, so this is the
        // journal of that state whatever commits meanwhile.
        var state = await db.Instances.AsNoTracking().Where(i => i.Id == caseId).Select(i => new { i.StateJson, i.Version }).FirstAsync(cancellationToken);
        var rows = await db.Journal.AsNoTracking().Where(j => j.InstanceId == caseId && j.Version <= state.Version).OrderBy(j => j.Version).Select(j => j.EntriesJson).ToListAsync(cancellationToken);
        var instance = WorkflowInstanceSerializer.Deserialize(state.StateJson);
        if (rows.Count > 0)
        {
            // Each row adds entries at the end or gives a later state of earlier ones.
            instance.Journal.Clear();
            foreach (var entry in rows.SelectMany(r => System.Text.Json.JsonSerializer.Deserialize<List<JournalEntry>>(r, WorkflowInstanceSerializer.Options) ?? []))
            {
                if (entry.Seq <= instance.Journal.Count)
                {
                    instance.Journal[entry.Seq - 1] = entry;
                }
                else
                {
                    instance.Journal.Add(entry);
                }
            }
        }

        // An instance stored before the journal had rows of its own carries it in its state, none of it stored as rows.
        var stored = rows.Count > 0 ? instance.Journal.Count : 0;
        var open = instance.Journal.Take(stored).Where(e => e.CompletedAt is null).Select(StoredEntry.Of).ToList();
        // Newer than the version the command read (it committed since)? The command's guard is the version it read, so its commit fails as the race it is.
        return new KeptInstance(instance, state.Version, new JournalMark(stored, open));
    }

    private async Task CommitAsync(LoadedCase loaded, RunResult result, CaseCommand command, CancellationToken cancellationToken)
    {
        await projection.LoadRowsAsync(result, cancellationToken);
        // The writer lends the context its own connection, which it can only while the context's is closed.
        await CloseReadsAsync();

        var now = time.GetUtcNow().UtcDateTime;
        var changes = projection.Apply(loaded, result, now);
        var data = command.Data is null ? [] : System.Text.Json.JsonSerializer.SerializeToNode(command.Data, AuditJson.Options) as JsonObject ?? [];
        foreach (var (name, value) in changes)
        {
            data[name] = value?.DeepClone();
        }

        audit.Record(command.Actor, command.Action, loaded.Case.Id, data);
        Store(loaded, now);
        await unitOfWork.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The instance's new state without its journal (its version bumped: the guard) and one journal row with the
    /// entries the command added or completed; the instance is kept in memory once the command has committed.
    /// </summary>
    private void Store(LoadedCase loaded, DateTime now)
    {
        var instance = loaded.Instance;
        var read = loaded.Record.Version;
        loaded.Record.Store(WorkflowInstanceSerializer.SerializeWithoutJournal(instance), System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(instance.Status.ToString()), now);
        var mark = loaded.Journal;
        var written = new List<JournalEntry>();
        var open = new List<StoredEntry>();
        foreach (var stored in mark.Open)
        {
            var changed = stored.Changed;
            if (changed)
            {
                written.Add(stored.Entry);
            }

            if (stored.Entry.CompletedAt is null)
            {
                open.Add(changed ? StoredEntry.Of(stored.Entry) : stored);
            }
        }

        for (var i = mark.Stored; i < instance.Journal.Count; i++)
        {
            var entry = instance.Journal[i];
            written.Add(entry);
            if (entry.CompletedAt is null)
            {
                open.Add(StoredEntry.Of(entry));
            }
        }

        if (written.Count > 0)
        {
            unitOfWork.Insert(new JournalRow
            {
                Id = Guid.CreateVersion7(now),
                InstanceId = loaded.Case.Id,
                Version = loaded.Record.Version,
                EntriesJson = System.Text.Json.JsonSerializer.Serialize(written, WorkflowInstanceSerializer.Options),
            });
        }

        if (loaded.ByKey)
        {
            var record = loaded.Record;
            unitOfWork.Execute(d => RowStatements.UpdateAsync(d, record, WorkflowInstanceRecord.Stored, read));
        }

        var committed = new KeptInstance(instance, loaded.Record.Version, new JournalMark(instance.Journal.Count, open));
        unitOfWork.OnCommitted(() => kept.Put(loaded.Case.Id, committed));
    }

    private async Task CloseReadsAsync()
    {
        if (_readsOpen)
        {
            _readsOpen = false;
            await db.Database.CloseConnectionAsync();
        }
    }

    private WorkflowRunner Runner() => new(new WorkflowServices { Time = time, Calendars = calendars });

    /// <summary>
    /// The engine's refusals as the problems the HTTP contract answers them with: one place for all commands. The
    /// engine speaks English and knows no reader; the refusals an official meets in the workspace (four eyes, an
    /// outcome's conditions or reasons missing) are said here in the caller's language, the others as the engine says them.
    /// </summary>
    private Exception Refused(RunResult result, CaseCommand command) => result.Status switch
    {
        ResumeStatus.AlreadyResumed => new ConflictException(command.AlreadyDone),
        ResumeStatus.NotFound => new NotFoundException(command.NotFound),
        ResumeStatus.Rejected when result.Refusal == Refusal.FourEyes => new ForbiddenException(text["err:four-eyes"]),
        ResumeStatus.Rejected when result.Refusal == Refusal.InvalidInput => ValidationFailedException.For(
            result.Field is { } field ? $"$.{field}" : command.InputPath,
            result.Field switch
            {
                "conditions" => text["err:needs-conditions"],
                "comment" => text["err:needs-reasons"],
                _ => result.Message ?? "This is not accepted.",
            }),
        _ => new ConflictException(result.Message ?? "This cannot be done now."),
    };
}
