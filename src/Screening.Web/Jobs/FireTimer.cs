using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Jobs;

/// <summary>What firing a timer did.</summary>
public enum FireTimerResult
{
    Fired,
    AlreadyDone,
    NotDue,
    NotFound,
}

/// <summary>Fires one timer row if it is still pending and due. Running it twice fires it once.</summary>
public sealed record FireTimer(Guid TimerId) : ICommand<FireTimerResult>;

public sealed class FireTimerHandler(ScreeningDbContext db, CaseWorkflow workflow, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, ILogger<FireTimerHandler> logger)
    : ICommandHandler<FireTimer, FireTimerResult>
{
    public async ValueTask<FireTimerResult> Handle(FireTimer command, CancellationToken cancellationToken)
    {
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == command.TimerId, cancellationToken);
        if (timer is null)
        {
            return FireTimerResult.NotFound;
        }

        if (timer.State != TimerStates.Pending)
        {
            return FireTimerResult.AlreadyDone;
        }

        var now = time.GetUtcNow();
        if (DateTime.SpecifyKind(timer.DueAt, DateTimeKind.Utc) > now.UtcDateTime)
        {
            return FireTimerResult.NotDue;
        }

        var loaded = await workflow.LoadAsync(timer.InstanceId, WorkflowRunner.SystemActor, cancellationToken);
        if (loaded is null)
        {
            timer.State = TimerStates.Cancelled;
            await unitOfWork.CommitAsync(cancellationToken);
            return FireTimerResult.NotFound;
        }

        timer.State = TimerStates.Fired;
        timer.FiredAt = now.UtcDateTime;
        var result = loaded.Runner.FireTimer(loaded.Definition, loaded.Instance, timer.Id.ToString());
        if (result.Status is ResumeStatus.NotFound or ResumeStatus.AlreadyResumed or ResumeStatus.Rejected)
        {
            // The workflow no longer waits for it (cancelled in the same instant): a stale row.
            timer.State = TimerStates.Cancelled;
            timer.FiredAt = null;
        }
        else if (result.Status == ResumeStatus.NotDue)
        {
            timer.State = TimerStates.Pending;
            timer.FiredAt = null;
            return FireTimerResult.NotDue;
        }

        audit.Record(WorkflowRunner.SystemActor, "timer.fired", loaded.Case.Id, new { timer = timer.Id, timer.Kind, dueAt = timer.DueAt, outcome = result.Status.ToString() });
        workflow.Store(loaded, WorkflowRunner.SystemActor);
        await unitOfWork.CommitAsync(cancellationToken);
        logger.LogInformation("Timer {TimerId} ({Kind}) of case {CaseReference} fired: {Result}", timer.Id, timer.Kind, loaded.Case.Reference, result.Status);
        return timer.State == TimerStates.Fired ? FireTimerResult.Fired : FireTimerResult.AlreadyDone;
    }
}
