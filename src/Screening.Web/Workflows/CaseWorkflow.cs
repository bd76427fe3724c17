using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Jobs;
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

    internal int JournalCount { get; set; }
}

/// <summary>
/// Loads a case's workflow, runs the engine against the database (tasks, requests, timers, outbox and
/// audit rows are staged in the same context) and stores the result; the caller commits once.
/// </summary>
public sealed class CaseWorkflow(ScreeningDbContext db, DefinitionCatalog catalog, CalendarCache calendars, TimeProvider time, AuditTrail audit, JobDispatcher jobs)
{
    /// <summary>Creates the case's instance from the published definition and runs it until it blocks.</summary>
    public LoadedCase Start(CaseRecord record, CompiledDefinition definition, System.Text.Json.Nodes.JsonObject filing, string actor)
    {
        var sinks = new DatabaseSinks(db, record, audit, jobs, time, actor);
        var runner = new WorkflowRunner(Services(sinks));
        var instance = runner.Start(definition, record.Id.ToString(), new System.Text.Json.Nodes.JsonObject { ["filing"] = filing });
        var stored = new WorkflowInstanceRecord
        {
            Id = record.Id,
            DefinitionKey = definition.Definition.Key,
            DefinitionVersion = definition.Definition.Version,
            Status = StatusText(instance.Status),
            StateJson = string.Empty,
        };
        db.Instances.Add(stored);
        var loaded = new LoadedCase { Case = record, Record = stored, Instance = instance, Definition = definition, Runner = runner };
        Store(loaded, actor);
        return loaded;
    }

    /// <summary>Loads a case and its workflow (with its open tasks, requests and pending timers tracked).</summary>
    public async Task<LoadedCase?> LoadAsync(Guid caseId, string actor, CancellationToken cancellationToken)
    {
        var record = await db.Cases.FirstOrDefaultAsync(c => c.Id == caseId, cancellationToken);
        var stored = await db.Instances.FirstOrDefaultAsync(i => i.Id == caseId, cancellationToken);
        if (record is null || stored is null)
        {
            return null;
        }

        await db.Tasks.Where(t => t.CaseId == caseId && (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed)).LoadAsync(cancellationToken);
        await db.InformationRequests.Where(r => r.CaseId == caseId && r.Status == RequestStatuses.Open).LoadAsync(cancellationToken);
        await db.Timers.Where(t => t.InstanceId == caseId && t.State == TimerStates.Pending).LoadAsync(cancellationToken);

        var definition = await catalog.GetAsync(db, stored.DefinitionKey, stored.DefinitionVersion, cancellationToken)
            ?? throw new InvalidOperationException($"Definition {stored.DefinitionKey} v{stored.DefinitionVersion} of case {caseId} is missing.");
        var instance = WorkflowInstanceSerializer.Deserialize(stored.StateJson);
        var sinks = new DatabaseSinks(db, record, audit, jobs, time, actor);
        return new LoadedCase
        {
            Case = record,
            Record = stored,
            Instance = instance,
            Definition = definition,
            Runner = new WorkflowRunner(Services(sinks)),
            JournalCount = instance.Journal.Count,
        };
    }

    /// <summary>Writes the instance back, bumps its version (the concurrency guard) and refreshes the case's projection.</summary>
    public void Store(LoadedCase loaded, string actor)
    {
        var instance = loaded.Instance;
        foreach (var entry in instance.Journal.Skip(loaded.JournalCount))
        {
            audit.Record(entry.Actor ?? actor, $"step.{entry.Type}", loaded.Case.Id, new
            {
                step = entry.StepId,
                entry.Outcome,
                entry.Note,
                stage = loaded.Definition.Definition.FindStep(entry.StepId)?.Stage,
            });
        }

        loaded.JournalCount = instance.Journal.Count;
        var now = time.GetUtcNow().UtcDateTime;
        loaded.Record.StateJson = WorkflowInstanceSerializer.Serialize(instance);
        loaded.Record.Status = StatusText(instance.Status);
        loaded.Record.Version++;
        loaded.Record.UpdatedAt = now;

        var record = loaded.Case;
        var status = CaseStatuses.Of(instance);
        if (status != record.Status)
        {
            audit.Record(actor, "case.status-changed", record.Id, new { from = record.Status, to = status });
            record.Status = status;
        }

        if (instance.SubStatus != record.Stage)
        {
            record.Stage = instance.SubStatus;
        }

        record.RiskLevel = instance.Variables["riskLevel"] is System.Text.Json.Nodes.JsonValue risk && risk.TryGetValue<string>(out var level) ? level : record.RiskLevel;
        var participating = record.JurisdictionList
            .Concat(db.Tasks.Local.Where(t => t.CaseId == record.Id).Select(t => t.Jurisdiction))
            .Distinct()
            .ToList();
        record.Jurisdictions = string.Join(',', participating);
        record.UpdatedAt = now;
    }

    private WorkflowServices Services(DatabaseSinks sinks) => new()
    {
        Time = time,
        Calendars = calendars,
        Tasks = sinks,
        Requests = sinks,
        Timers = sinks,
        Outbox = sinks,
    };

    private static string StatusText(WorkflowStatus status) => JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}

/// <summary>Request statuses.</summary>
public static class RequestStatuses
{
    public const string Open = "open";
    public const string Answered = "answered";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

/// <summary>The engine's sinks, staging rows in the command's context.</summary>
internal sealed class DatabaseSinks(ScreeningDbContext db, CaseRecord record, AuditTrail audit, JobDispatcher jobs, TimeProvider time, string actor)
    : ITaskAssignment, IApplicantRequests, ITimerScheduler, INotificationOutbox
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public void Opened(WorkflowInstance instance, Bookmark task)
    {
        var work = task.Task!;
        db.Tasks.Add(new ReviewTask
        {
            Id = Guid.Parse(task.Id),
            CaseId = record.Id,
            CaseReference = record.Reference,
            StepId = task.StepId,
            Title = Truncate(work.Title, 300),
            Description = work.Description,
            Role = work.Role,
            Jurisdiction = work.Jurisdiction,
            OutcomesJson = JsonSerializer.Serialize(work.Outcomes),
            ExcludedActorsJson = JsonSerializer.Serialize(work.ExcludedActors),
            DueAt = work.DueAt?.UtcDateTime,
            QueueOrder = work.DueAt?.UtcDateTime ?? DateTime.MaxValue,
            FollowUpAt = work.FollowUpAt?.UtcDateTime,
            AllowsInformationRequests = work.AllowsInformationRequests,
            Status = TaskStatuses.Open,
            CreatedAt = Now,
            RiskLevel = instance.Variables["riskLevel"]?.ToString(),
        });
        audit.Record(actor, "task.opened", record.Id, new { task = task.Id, step = task.StepId, work.Role, work.Jurisdiction, dueAt = work.DueAt });
    }

    public void Closed(WorkflowInstance instance, Bookmark task, TaskClosure closure)
    {
        var row = db.Tasks.Local.FirstOrDefault(t => t.Id == Guid.Parse(task.Id));
        if (row is null)
        {
            return;
        }

        row.Status = closure.Reason == "cancelled" ? TaskStatuses.Cancelled : TaskStatuses.Completed;
        row.Outcome = closure.Outcome;
        row.CompletedBy = closure.Actor;
        row.CompletedAt = Now;
        row.Version++;
        audit.Record(closure.Actor ?? actor, closure.Reason == "cancelled" ? "task.cancelled" : "task.completed", record.Id,
            new { task = task.Id, step = task.StepId, closure.Outcome, closure.Reason, row.Jurisdiction });
    }

    public void Escalated(WorkflowInstance instance, Bookmark task)
    {
        var row = db.Tasks.Local.FirstOrDefault(t => t.Id == Guid.Parse(task.Id));
        if (row is not null)
        {
            row.Escalated = true;
            row.Role = task.Task!.Role;
            row.Version++;
        }

        audit.Record(WorkflowRunner.SystemActor, "task.escalated", record.Id, new { task = task.Id, step = task.StepId });
    }

    void IApplicantRequests.Opened(WorkflowInstance instance, Bookmark request)
    {
        db.InformationRequests.Add(new InformationRequestRecord
        {
            Id = Guid.Parse(request.Id),
            CaseId = record.Id,
            TaskId = request.ParentId is { } parent ? Guid.Parse(parent) : null,
            Question = request.Request!.Question,
            DueAt = request.DueAt?.UtcDateTime,
            RequestedBy = request.Request.RequestedBy,
            Status = RequestStatuses.Open,
            CreatedAt = Now,
        });
        audit.Record(actor, "request.opened", record.Id, new { request = request.Id, question = request.Request.Question, dueAt = request.DueAt, stopsClock = request.Request.StopsClock });
    }

    void IApplicantRequests.Closed(WorkflowInstance instance, Bookmark request, string reason)
    {
        var row = db.InformationRequests.Local.FirstOrDefault(r => r.Id == Guid.Parse(request.Id));
        if (row is not null)
        {
            row.Status = reason;
            row.ClosedAt = Now;
        }

        audit.Record(actor, $"request.{reason}", record.Id, new { request = request.Id });
    }

    public void Schedule(WorkflowInstance instance, Bookmark timer)
    {
        var row = new TimerRecord
        {
            Id = Guid.Parse(timer.Id),
            InstanceId = record.Id,
            Kind = timer.Kind.ToString(),
            DueAt = timer.DueAt!.Value.UtcDateTime,
            State = TimerStates.Pending,
            CreatedAt = Now,
        };
        db.Timers.Add(row);
        jobs.TimerScheduled(row);
    }

    public void Cancel(WorkflowInstance instance, Bookmark timer)
    {
        var row = db.Timers.Local.FirstOrDefault(t => t.Id == Guid.Parse(timer.Id));
        if (row is null || row.State != TimerStates.Pending)
        {
            return;
        }

        // A firing timer's row is marked fired before the engine runs, so only a pending row is cancelled here.
        row.State = TimerStates.Cancelled;
        jobs.TimerCancelled(row);
    }

    public void Enqueue(WorkflowInstance instance, Notification notification)
    {
        var message = new OutboxMessage
        {
            Id = Guid.CreateVersion7(),
            CaseId = record.Id,
            Audience = notification.Audience,
            Jurisdiction = notification.Jurisdiction,
            Subject = Truncate(notification.Subject, 300),
            Body = notification.Body is null ? null : Truncate(notification.Body, 4000),
            CreatedAt = Now,
        };
        db.Outbox.Add(message);
        jobs.OutboxAdded(message.Id);
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
