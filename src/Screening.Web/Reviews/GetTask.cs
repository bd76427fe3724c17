using Mediator;
using Microsoft.Extensions.Localization;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>One task, if the caller may see it (its role and jurisdiction, or its holder).</summary>
public sealed record GetTask(CurrentUser User, Guid TaskId) : IQuery<TaskView>;

public sealed class GetTaskHandler(ScreeningDbContext db, TimeProvider time, IStringLocalizer<Strings> text) : IQueryHandler<GetTask, TaskView>
{
    public async ValueTask<TaskView> Handle(GetTask query, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == query.TaskId, cancellationToken);
        // Officials read every task of their own jurisdiction; another government's tasks do not exist for them.
        if (task is null || task.Jurisdiction != query.User.Jurisdiction)
        {
            throw new NotFoundException(text["err:no-task"]);
        }

        return TaskViews.From(task, time.GetUtcNow());
    }
}
