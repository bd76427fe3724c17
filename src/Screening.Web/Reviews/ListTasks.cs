using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>
/// An official's queue, soonest due first: <c>available</c> is the open tasks of the caller's role and
/// jurisdiction that four eyes does not keep from them; <c>mine</c> is what they hold.
/// </summary>
public sealed record ListTasks(CurrentUser User, string Scope, Guid? CaseId, int Page, int PageSize) : IQuery<IReadOnlyList<TaskView>>;

public sealed class ListTasksHandler(ScreeningDbContext db, TimeProvider time) : IQueryHandler<ListTasks, IReadOnlyList<TaskView>>
{
    public const int MaxPageSize = 500;

    public async ValueTask<IReadOnlyList<TaskView>> Handle(ListTasks query, CancellationToken cancellationToken)
    {
        if (query.Scope is not ("available" or "mine"))
        {
            throw ValidationFailedException.For("scope", "The scope is 'available' or 'mine'.");
        }

        Paging.Validate(query.Page, query.PageSize, MaxPageSize);
        var user = query.User;
        var tasks = db.Tasks.AsNoTracking();
        if (query.Scope == "mine")
        {
            tasks = tasks.Where(t => t.Assignee == user.Id && t.Status == TaskStatuses.Claimed);
        }
        else
        {
            var roles = user.Roles.ToList();
            var excluded = $"\"{user.Id}\"";
            tasks = tasks.Where(t => t.Status == TaskStatuses.Open && t.Jurisdiction == user.Jurisdiction && roles.Contains(t.Role)
                && !t.ExcludedActorsJson.Contains(excluded));
        }

        if (query.CaseId is { } caseId)
        {
            tasks = tasks.Where(t => t.CaseId == caseId);
        }

        var rows = await tasks
            .OrderBy(t => t.QueueOrder)
            .ThenBy(t => t.CreatedAt)
            .Skip(Paging.Offset(query.Page, query.PageSize))
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. rows.Select(t => TaskViews.From(t, now))];
    }
}
