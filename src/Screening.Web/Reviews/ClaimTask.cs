using Mediator;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Takes an open task.</summary>
public sealed record ClaimTask(CurrentUser User, Guid TaskId) : ICommand<TaskView>;

public sealed class ClaimTaskHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time) : ICommandHandler<ClaimTask, TaskView>
{
    public async ValueTask<TaskView> Handle(ClaimTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, command.User, command.TaskId, cancellationToken);
        if (!TaskViews.IsFor(task, command.User))
        {
            throw new ForbiddenException($"This task is for the {task.Role} role.");
        }

        if (TaskViews.Excludes(task, command.User))
        {
            throw new ForbiddenException("Four eyes: you acted earlier on this case, so another official must take this task.");
        }

        if (task.Status != TaskStatuses.Open)
        {
            throw new ConflictException(task.Status == TaskStatuses.Claimed
                ? (task.Assignee == command.User.Id ? "You already hold this task." : "Another official has already claimed this task.")
                : $"This task is {task.Status}.");
        }

        var now = time.GetUtcNow();
        task.Claim(command.User.Id, now.UtcDateTime);
        audit.Record(command.User.Id, "task.claimed", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, now);
    }
}
