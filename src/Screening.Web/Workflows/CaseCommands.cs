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
    IStringLocalizer<Strings> text)
{
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
        var loaded = new LoadedCase { Case = record, Record = stored, Instance = result.Instance, Definition = definition, Runner = runner };
        await CommitAsync(loaded, result, command, cancellationToken);
        return new CaseRun(loaded, result);
    }

    /// <summary>
    /// Runs one engine call against a case and commits what it did. The call may check the loaded case first and
    /// throw a problem of its own (the caller's right to act). Null when there is no such case.
    /// </summary>
    public async Task<CaseRun?> RunAsync(Guid caseId, CaseCommand command, Func<LoadedCase, RunResult> run, CancellationToken cancellationToken)
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

    /// <summary>Loads a case and its workflow (tracked); the rows a run touches are loaded after it, by <see cref="CaseProjection"/>.</summary>
    public async Task<LoadedCase?> LoadAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var pair = await (from c in db.Cases
                          join i in db.Instances on c.Id equals i.Id
                          where c.Id == caseId
                          select new { Case = c, Instance = i }).FirstOrDefaultAsync(cancellationToken);
        if (pair is null)
        {
            return null;
        }

        var definition = await catalog.GetAsync(db, pair.Instance.DefinitionKey, pair.Instance.DefinitionVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Definition {pair.Instance.DefinitionKey} v{pair.Instance.DefinitionVersion} of case {caseId} is missing.");
        return new LoadedCase
        {
            Case = pair.Case,
            Record = pair.Instance,
            Instance = WorkflowInstanceSerializer.Deserialize(pair.Instance.StateJson),
            Definition = definition,
            Runner = Runner(),
        };
    }

    private async Task CommitAsync(LoadedCase loaded, RunResult result, CaseCommand command, CancellationToken cancellationToken)
    {
        await projection.LoadRowsAsync(result, cancellationToken);
        var changes = projection.Apply(loaded, result, time.GetUtcNow().UtcDateTime);
        var data = command.Data is null ? [] : System.Text.Json.JsonSerializer.SerializeToNode(command.Data, AuditJson.Options) as JsonObject ?? [];
        foreach (var (name, value) in changes)
        {
            data[name] = value?.DeepClone();
        }

        audit.Record(command.Actor, command.Action, loaded.Case.Id, data);
        await unitOfWork.CommitAsync(cancellationToken);
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
