using Mediator;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Gives a held task back to the queue.</summary>
public sealed record ReleaseTask(CurrentUser User, Guid TaskId) : ICommand<TaskView>;

public sealed class ReleaseTaskHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time) : ICommandHandler<ReleaseTask, TaskView>
{
    public async ValueTask<TaskView> Handle(ReleaseTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, command.User, command.TaskId, cancellationToken);
        if (task.Status != TaskStatuses.Claimed)
        {
            throw new ConflictException(task.Status == TaskStatuses.Open ? "Nobody holds this task." : $"This task is {task.Status}.");
        }

        if (task.Assignee != command.User.Id)
        {
            throw new ForbiddenException("Only the official who holds the task may release it.");
        }

        task.Release();
        audit.Record(command.User.Id, "task.released", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, time.GetUtcNow());
    }
}
