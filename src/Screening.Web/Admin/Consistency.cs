using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Admin;

public sealed record StuckInstance(Guid CaseId, string Reference, string Status, string Reason);

public sealed record Orphan(Guid Id, Guid CaseId, string Kind, string Reason);

public sealed record ConsistencyReport(
    bool Consistent,
    int InstancesChecked,
    int TasksChecked,
    int TimersChecked,
    IReadOnlyList<StuckInstance> StuckInstances,
    IReadOnlyList<Orphan> OrphanTasks,
    IReadOnlyList<Orphan> OrphanTimers,
    IReadOnlyList<Orphan> MissingRows,
    int OpenIncidents,
    AuditVerification Audit);

/// <summary>
/// Checks that what the database says agrees with every instance: each unfinished instance waits on a live
/// task, request or pending timer (or has an incident); every open task and pending timer belongs to a
/// bookmark its instance still waits on; the audit chain verifies. Operators run it at any time.
/// </summary>
public sealed record CheckConsistency : IQuery<ConsistencyReport>;

public sealed class CheckConsistencyHandler(ScreeningDbContext db, IMediator mediator) : IQueryHandler<CheckConsistency, ConsistencyReport>
{
    public async ValueTask<ConsistencyReport> Handle(CheckConsistency query, CancellationToken cancellationToken)
    {
        var cases = await db.Cases.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Reference, cancellationToken);
        var instances = await db.Instances.AsNoTracking().Select(i => new { i.Id, i.StateJson }).ToListAsync(cancellationToken);
        var openTasks = await db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed).Select(t => new { t.Id, t.CaseId }).ToListAsync(cancellationToken);
        var openRequests = await db.InformationRequests.AsNoTracking().Where(r => r.Status == RequestStatuses.Open).Select(r => new { r.Id, r.CaseId }).ToListAsync(cancellationToken);
        var pendingTimers = await db.Timers.AsNoTracking().Where(t => t.State == TimerStates.Pending).Select(t => new { t.Id, t.InstanceId }).ToListAsync(cancellationToken);

        var taskIds = openTasks.Select(t => t.Id).ToHashSet();
        var requestIds = openRequests.Select(r => r.Id).ToHashSet();
        var timerIds = pendingTimers.Select(t => t.Id).ToHashSet();
        var bookmarks = new HashSet<Guid>();
        var stuck = new List<StuckInstance>();
        var missing = new List<Orphan>();
        var incidents = 0;

        foreach (var row in instances)
        {
            var instance = WorkflowInstanceSerializer.Deserialize(row.StateJson);
            var reference = cases.GetValueOrDefault(row.Id, "?");
            foreach (var bookmark in instance.Bookmarks)
            {
                var id = Guid.Parse(bookmark.Id);
                bookmarks.Add(id);
                var present = bookmark.Kind switch
                {
                    BookmarkKind.Task => taskIds.Contains(id),
                    BookmarkKind.InformationRequest => requestIds.Contains(id),
                    _ => timerIds.Contains(id),
                };
                if (!present)
                {
                    missing.Add(new Orphan(id, row.Id, bookmark.Kind.ToString(), "the instance waits on it but its row is not open or pending"));
                }
            }

            incidents += instance.Incidents.Count(i => i.ResolvedAt is null);
            if (instance.Status == WorkflowStatus.Finished)
            {
                continue;
            }

            var waiting = instance.Tokens.Where(t => t.State == TokenState.Waiting).ToList();
            var faulted = instance.Tokens.Any(t => t.State == TokenState.Faulted);
            var live = instance.Bookmarks.Count > 0;
            if (instance.Status == WorkflowStatus.Running)
            {
                stuck.Add(new StuckInstance(row.Id, reference, "running", "saved while running: a command did not finish"));
            }
            else if (!live && !faulted)
            {
                stuck.Add(new StuckInstance(row.Id, reference, instance.Status.ToString(), "unfinished, yet waits on no task, request or timer"));
            }
            else if (waiting.Any(t => instance.Bookmarks.All(b => b.TokenId != t.Id)))
            {
                stuck.Add(new StuckInstance(row.Id, reference, instance.Status.ToString(), "a branch waits on a bookmark that no longer exists"));
            }
        }

        var orphanTasks = openTasks.Where(t => !bookmarks.Contains(t.Id))
            .Select(t => new Orphan(t.Id, t.CaseId, "task", "open, but its workflow no longer waits on it")).ToList();
        var orphanTimers = pendingTimers.Where(t => !bookmarks.Contains(t.Id))
            .Select(t => new Orphan(t.Id, t.InstanceId, "timer", "pending, but its workflow no longer waits on it")).ToList();
        var audit = await mediator.Send(new VerifyAudit(), cancellationToken);
        var consistent = stuck.Count == 0 && orphanTasks.Count == 0 && orphanTimers.Count == 0 && missing.Count == 0 && audit.Valid;
        return new ConsistencyReport(consistent, instances.Count, openTasks.Count, pendingTimers.Count, stuck, orphanTasks, orphanTimers, missing, incidents, audit);
    }
}
