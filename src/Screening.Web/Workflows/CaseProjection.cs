using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Reviews;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>
/// Applies what one engine call did to the case's rows, in the command's context: tasks, requests, timers and
/// outbox rows from the run's effects, and the case's projection (status, stage, risk, jurisdictions). Returns what the command's audit entry records of
/// it: the step trace and each business event, so one entry tells the whole command.
/// </summary>
public sealed class CaseProjection(ScreeningDbContext db, UnitOfWork unitOfWork, JobDispatcher jobs, CalendarCache calendars)
{
    // Compiled, tracking: most commands close a task or a timer, and most of an uncompiled load's cost is EF Core's.
    private static readonly Func<ScreeningDbContext, List<Guid>, IAsyncEnumerable<ReviewTask>> TasksOf =
        EF.CompileAsyncQuery((ScreeningDbContext db, List<Guid> ids) => db.Tasks.Where(t => ids.Contains(t.Id)));

    private static readonly Func<ScreeningDbContext, List<Guid>, IAsyncEnumerable<InformationRequestRecord>> RequestsOf =
        EF.CompileAsyncQuery((ScreeningDbContext db, List<Guid> ids) => db.InformationRequests.Where(r => ids.Contains(r.Id)));

    private static readonly Func<ScreeningDbContext, List<Guid>, IAsyncEnumerable<TimerRecord>> TimersOf =
        EF.CompileAsyncQuery((ScreeningDbContext db, List<Guid> ids) => db.Timers.Where(t => ids.Contains(t.Id)));

    /// <summary>Tracks the existing rows the run's effects change (tasks, requests and timers it closed), one query a kind, only where needed.</summary>
    public async Task LoadRowsAsync(RunResult result, CancellationToken cancellationToken)
    {
        var tasks = Missing<ReviewTask>(result.Effects.Select(e => e switch
        {
            TaskClosed c => c.Task.Id,
            TaskEscalated x => x.Task.Id,
            _ => null,
        }));
        var requests = Missing<InformationRequestRecord>(result.Effects.Select(e => (e as RequestClosed)?.Request.Id));
        var timers = Missing<TimerRecord>(result.Effects.Select(e => e switch
        {
            TimerCancelled c => c.Timer.Id,
            TimerFired f => f.Timer.Id,
            _ => null,
        }));
        if (tasks.Count > 0)
        {
            await LoadAsync(TasksOf(db, tasks), cancellationToken);
        }

        if (requests.Count > 0)
        {
            await LoadAsync(RequestsOf(db, requests), cancellationToken);
        }

        if (timers.Count > 0)
        {
            await LoadAsync(TimersOf(db, timers), cancellationToken);
        }
    }

    /// <summary>Reads the rows into the change tracker.</summary>
    private static async Task LoadAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await foreach (var _ in rows.WithCancellation(cancellationToken))
        {
        }
    }

    private List<Guid> Missing<T>(IEnumerable<string?> ids)
        where T : class =>
        [.. ids.OfType<string>().Select(Guid.Parse).Distinct().Where(id => db.Tracked<T>(id) is null)];

    public JsonObject Apply(LoadedCase loaded, RunResult result, DateTime now)
    {
        var record = loaded.Case;
        var instance = loaded.Instance;
        var bindings = CaseBindings.Of(loaded.Definition);
        var riskLevel = bindings.RiskLevel(instance);
        var recorded = new Events();
        foreach (var effect in result.Effects)
        {
            QueueLettersAndMail(loaded, effect, now);
            switch (effect)
            {
                case TaskOpened opened:
                    var work = opened.Task.Task!;
                    db.Tasks.Add(new ReviewTask
                    {
                        Id = Guid.Parse(opened.Task.Id),
                        CaseId = record.Id,
                        CaseReference = record.Reference,
                        StepId = opened.Task.StepId,
                        Title = Truncate(work.Title, 300),
                        Description = work.Description,
                        Role = work.Role,
                        Jurisdiction = work.Jurisdiction,
                        OutcomesJson = JsonSerializer.Serialize(work.Outcomes),
                        ExcludedActorsJson = JsonSerializer.Serialize(work.ExcludedActors),
                        RequiresJson = JsonSerializer.Serialize(work.Requires ?? []),
                        TextsJson = TaskTexts.Of(work).ToJson(),
                        DueAt = work.DueAt?.UtcDateTime,
                        QueueOrder = work.DueAt?.UtcDateTime ?? DateTime.MaxValue,
                        FollowUpAt = work.FollowUpAt?.UtcDateTime,
                        AllowsInformationRequests = work.AllowsInformationRequests,
                        Status = TaskStatuses.Open,
                        CreatedAt = now,
                        RiskLevel = riskLevel,
                    });
                    recorded.Task(opened.Task, "opened", new() { ["role"] = work.Role, ["jurisdiction"] = work.Jurisdiction, ["dueAt"] = Instant(work.DueAt) });
                    break;
                case TaskClosed closed:
                    if (TrackedTask(closed.Task) is { } row)
                    {
                        if (!row.IsOpen)
                        {
                            // Another command closed it since this one loaded the instance: the instance's version
                            // guard would refuse this commit anyway; refuse it as the race it is.
                            throw new Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException($"Task {row.Id} was closed by another command.");
                        }

                        if (closed.Reason == TaskCloseReason.Cancelled)
                        {
                            row.Cancel(closed.Actor, now);
                        }
                        else
                        {
                            row.Complete(closed.Outcome, closed.Actor, closed.Comment, now);
                        }
                    }

                    recorded.Task(closed.Task, closed.Reason == TaskCloseReason.Cancelled ? "cancelled" : "completed", new()
                    {
                        ["outcome"] = closed.Outcome,
                        ["reason"] = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(closed.Reason.ToString()),
                        ["actor"] = closed.Actor,
                        ["jurisdiction"] = closed.Task.Task!.Jurisdiction,
                    });
                    break;
                case TaskEscalated escalated:
                    TrackedTask(escalated.Task)?.Escalate(escalated.Task.Task!.Role);
                    recorded.Task(escalated.Task, "escalated", new() { ["role"] = escalated.Task.Task!.Role });
                    break;
                case RequestOpened opened:
                    db.InformationRequests.Add(new InformationRequestRecord
                    {
                        Id = Guid.Parse(opened.Request.Id),
                        CaseId = record.Id,
                        TaskId = opened.Request.ParentId is { } parent ? Guid.Parse(parent) : null,
                        Question = opened.Request.Request!.Question,
                        DueAt = opened.Request.DueAt?.UtcDateTime,
                        RequestedBy = opened.Request.Request.RequestedBy,
                        Status = RequestStatuses.Open,
                        CreatedAt = now,
                    });
                    recorded.Request(opened.Request, "opened", new()
                    {
                        ["question"] = opened.Request.Request.Question,
                        ["dueAt"] = Instant(opened.Request.DueAt),
                        ["stopsClock"] = opened.Request.Request.StopsClock,
                    });
                    break;
                case RequestClosed closed:
                    var status = closed.Reason.ToString().ToLowerInvariant();
                    db.Tracked<InformationRequestRecord>(Guid.Parse(closed.Request.Id))?.Close(status, closed.Answer, now);
                    recorded.Request(closed.Request, status, []);
                    break;
                case TimerSet set:
                    var timer = new TimerRecord
                    {
                        Id = Guid.Parse(set.Timer.Id),
                        InstanceId = record.Id,
                        Kind = set.Timer.Kind.ToString(),
                        DueAt = set.Timer.DueAt!.Value.UtcDateTime,
                        State = TimerStates.Pending,
                        CreatedAt = now,
                    };
                    db.Timers.Add(timer);
                    jobs.TimerScheduled(timer);
                    break;
                case TimerCancelled cancelled:
                    if (TrackedTimer(cancelled.Timer) is { IsPending: true } pending)
                    {
                        pending.Cancel();
                        jobs.TimerCancelled(pending);
                    }

                    break;
                case TimerFired fired:
                    TrackedTimer(fired.Timer)?.Fire(now);
                    break;
                case ClockChanged clock:
                    recorded.Clock(clock);
                    break;
                case NotificationQueued queued:
                    var message = NotificationWords.Message(queued.Notification, record.Id, now);
                    unitOfWork.Insert(message);
                    jobs.OutboxAdded(message.Id);
                    break;
                case DecisionRecorded decision:
                    recorded.Decision = new JsonObject
                    {
                        ["outcome"] = decision.Decision.Outcome,
                        ["conditions"] = decision.Decision.Conditions.Count,
                    };
                    break;
                case NoticeRecorded notice:
                    recorded.Notice(notice.Notice);
                    break;
                case IncidentOpened incident:
                    recorded.Incident(incident.Incident);
                    break;
            }
        }

        var before = record.Project(CaseStatuses.Of(instance), instance.SubStatus, riskLevel, result.Effects.OfType<TaskOpened>().Select(t => t.Task.Task!.Jurisdiction), now);
        return recorded.ToJson(result.Trace, loaded.Definition, before is null ? null : new JsonObject { ["from"] = before, ["to"] = record.Status });
    }

    /// <summary>
    /// The outbox rows of an act (its letters, the applicant's e-mail) and of a new task (its officials' e-mail),
    /// committed with the run: the jobs that make them run after the commit, never inside it.
    /// </summary>
    private void QueueLettersAndMail(LoadedCase loaded, WorkflowEffect effect, DateTime now)
    {
        if (effect is TaskOpened opened)
        {
            var work = opened.Task.Task!;
            Queue(loaded.Case.Id, OutboxKinds.Mail, work.Role, new Mail.MailEvent(Mail.MailEvents.TaskAssigned, work.Role) { Jurisdiction = work.Jurisdiction, ItemId = opened.Task.Id }.ToJson(), now);
            return;
        }

        if (Letters.LetterAct.Of(effect, loaded.Instance, loaded.Case, TaskJurisdiction, calendars) is not { } act)
        {
            return;
        }

        Queue(loaded.Case.Id, OutboxKinds.Letter, Identity.Roles.Applicant, act.ToJson(), now);
        var happened = act.Kind switch
        {
            Letters.LetterKinds.InformationRequest => Mail.MailEvents.InformationRequest,
            Letters.LetterKinds.Decision or Letters.LetterKinds.DeemedApproval => Mail.MailEvents.Decision,
            _ => Mail.MailEvents.Notice,
        };
        var item = effect is RequestOpened request ? request.Request.Id : null;
        Queue(loaded.Case.Id, OutboxKinds.Mail, Identity.Roles.Applicant, new Mail.MailEvent(happened, Identity.Roles.Applicant) { ItemId = item, LetterKind = act.Kind }.ToJson(), now);
    }

    private string? TaskJurisdiction(string taskId) =>
        db.Tracked<ReviewTask>(Guid.Parse(taskId))?.Jurisdiction;

    private void Queue(Guid caseId, string kind, string audience, string data, DateTime now)
    {
        var message = new OutboxMessage
        {
            Id = SortableIds.New(now),
            CaseId = caseId,
            Audience = audience,
            Subject = kind,
            Kind = kind,
            DataJson = data,
            CreatedAt = now,
        };
        unitOfWork.Insert(message);
        jobs.OutboxAdded(message.Id);
    }

    private ReviewTask? TrackedTask(Bookmark task) => db.Tracked<ReviewTask>(Guid.Parse(task.Id));

    private TimerRecord? TrackedTimer(Bookmark timer) => db.Tracked<TimerRecord>(Guid.Parse(timer.Id));

    private static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    internal static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>What the audit entry of a command records of its run, in the order it happened within each kind.</summary>
    private sealed class Events
    {
        private readonly JsonArray _tasks = [];
        private readonly JsonArray _requests = [];
        private readonly JsonArray _clocks = [];
        private readonly JsonArray _notices = [];
        private readonly JsonArray _incidents = [];

        public JsonObject? Decision { get; set; }

        public void Task(Bookmark task, string happened, JsonObject facts) =>
            _tasks.Add(With(new JsonObject { ["task"] = task.Id, ["step"] = task.StepId, ["event"] = happened }, facts));

        public void Request(Bookmark request, string happened, JsonObject facts) =>
            _requests.Add(With(new JsonObject { ["request"] = request.Id, ["event"] = happened }, facts));

        public void Clock(ClockChanged change) => _clocks.Add(new JsonObject
        {
            ["clock"] = change.Clock.Name,
            ["jurisdiction"] = change.Clock.Jurisdiction,
            ["change"] = change.Change.ToString().ToLowerInvariant(),
            ["dueDate"] = change.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        });

        public void Notice(LegalNotice notice) => _notices.Add(new JsonObject
        {
            ["kind"] = notice.Kind,
            ["jurisdiction"] = notice.Jurisdiction,
            ["basis"] = notice.Basis,
            ["effectiveOn"] = notice.EffectiveOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["step"] = notice.StepId,
        });

        public void Incident(Incident incident) => _incidents.Add(new JsonObject { ["incident"] = incident.Id, ["step"] = incident.StepId, ["message"] = incident.Message });

        public JsonObject ToJson(IReadOnlyList<JournalEntry> trace, Screening.Workflows.Definitions.CompiledDefinition definition, JsonObject? status)
        {
            var json = new JsonObject();
            if (status is not null)
            {
                json["status"] = status;
            }

            json["trace"] = new JsonArray([.. trace.Select(e => (JsonNode)new JsonObject
            {
                ["step"] = e.StepId,
                ["type"] = e.Type,
                ["outcome"] = e.Outcome,
                ["note"] = e.Note,
                ["actor"] = e.Actor,
                ["stage"] = definition.Definition.FindStep(e.StepId)?.Stage,
            })]);
            Add(json, "tasks", _tasks);
            Add(json, "requests", _requests);
            Add(json, "clocks", _clocks);
            Add(json, "notices", _notices);
            Add(json, "incidents", _incidents);
            if (Decision is not null)
            {
                json["decision"] = Decision;
            }

            return json;
        }

        private static void Add(JsonObject json, string name, JsonArray items)
        {
            if (items.Count > 0)
            {
                json[name] = items;
            }
        }

        private static JsonObject With(JsonObject result, JsonObject facts)
        {
            foreach (var (key, value) in facts.Where(f => f.Value is not null))
            {
                result[key] = value!.DeepClone();
            }

            return result;
        }
    }
}
