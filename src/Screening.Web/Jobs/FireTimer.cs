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

public sealed class FireTimerHandler(ScreeningDbContext db, CaseCommands cases, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, ILogger<FireTimerHandler> logger)
    : ICommandHandler<FireTimer, FireTimerResult>
{
    private static readonly HashSet<ResumeStatus> HandledHere = [ResumeStatus.NotDue, ResumeStatus.NotFound, ResumeStatus.AlreadyResumed, ResumeStatus.Rejected];

    public async ValueTask<FireTimerResult> Handle(FireTimer command, CancellationToken cancellationToken)
    {
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == command.TimerId, cancellationToken);
        if (timer is null)
        {
            return FireTimerResult.NotFound;
        }

        if (!timer.IsPending)
        {
            return FireTimerResult.AlreadyDone;
        }

        if (DateTime.SpecifyKind(timer.DueAt, DateTimeKind.Utc) > time.GetUtcNow().UtcDateTime)
        {
            return FireTimerResult.NotDue;
        }

        // The row stays pending until the run says the timer fired: its projection marks it, in the same commit.
        var fire = new CaseCommand(WorkflowRunner.SystemActor, "timer.fired")
        {
            Data = new { timer = timer.Id, timer.Kind, dueAt = timer.DueAt, outcome = nameof(ResumeStatus.Resumed) },
            Tolerated = HandledHere,
        };
        var done = await cases.RunAsync(timer.InstanceId, fire, loaded => loaded.Runner.FireTimer(loaded.Definition, loaded.Instance, timer.Id.ToString()), cancellationToken);
        if (done is null)
        {
            timer.Cancel();
            await unitOfWork.CommitAsync(cancellationToken);
            return FireTimerResult.NotFound;
        }

        var status = done.Result.Status;
        if (status == ResumeStatus.NotDue)
        {
            return FireTimerResult.NotDue;
        }

        if (status != ResumeStatus.Resumed)
        {
            // The workflow no longer waits for it (cancelled in the same instant): a stale row.
            timer.Cancel();
            audit.Record(WorkflowRunner.SystemActor, "timer.fired", done.Loaded.Case.Id, new { timer = timer.Id, timer.Kind, dueAt = timer.DueAt, outcome = status.ToString() });
            await unitOfWork.CommitAsync(cancellationToken);
        }

        logger.LogInformation("Timer {TimerId} ({Kind}) of case {CaseReference} fired: {Result}", timer.Id, timer.Kind, done.Loaded.Case.Reference, status);
        return timer.State == TimerStates.Fired ? FireTimerResult.Fired : FireTimerResult.AlreadyDone;
    }
}
