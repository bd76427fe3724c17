using Mediator;
using Microsoft.Extensions.Localization;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Takes an open task.</summary>
public sealed record ClaimTask(CurrentUser User, Guid TaskId) : ICommand<TaskView>;

public sealed class ClaimTaskHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, IStringLocalizer<Strings> text) : ICommandHandler<ClaimTask, TaskView>
{
    public async ValueTask<TaskView> Handle(ClaimTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, text, command.User, command.TaskId, cancellationToken);
        if (!TaskViews.IsFor(task, command.User))
        {
            throw new ForbiddenException(text["err:task-role", text[$"role:{task.Role}"]]);
        }

        if (TaskViews.Excludes(task, command.User))
        {
            throw new ForbiddenException(text["err:four-eyes-claim"]);
        }

        if (task.Status != TaskStatuses.Open)
        {
            throw new ConflictException(TaskAccess.Finished(task, text)
                ?? (task.Assignee == command.User.Id ? text["err:already-yours"] : text["err:claimed-by-other"]));
        }

        var now = time.GetUtcNow();
        task.Claim(command.User.Id, now.UtcDateTime);
        audit.Record(command.User.Id, "task.claimed", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, now);
    }
}
