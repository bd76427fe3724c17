using Mediator;
using Microsoft.Extensions.Localization;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Gives a held task back to the queue.</summary>
public sealed record ReleaseTask(CurrentUser User, Guid TaskId) : ICommand<TaskView>;

public sealed class ReleaseTaskHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, IStringLocalizer<Strings> text) : ICommandHandler<ReleaseTask, TaskView>
{
    public async ValueTask<TaskView> Handle(ReleaseTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, text, command.User, command.TaskId, cancellationToken);
        if (task.Status != TaskStatuses.Claimed)
        {
            throw new ConflictException(TaskAccess.Finished(task, text) ?? text["err:nobody-holds"]);
        }

        if (task.Assignee != command.User.Id)
        {
            throw new ForbiddenException(text["err:release-own"]);
        }

        task.Release();
        audit.Record(command.User.Id, "task.released", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, time.GetUtcNow());
    }
}
