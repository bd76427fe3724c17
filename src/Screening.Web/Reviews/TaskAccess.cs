using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Shared checks of the task commands, their messages in the caller's language.</summary>
internal static class TaskAccess
{
    /// <summary>Compiled once: every task command starts with this read.</summary>
    private static readonly Func<ScreeningDbContext, Guid, CancellationToken, Task<ReviewTask?>> ById =
        EF.CompileAsyncQuery((ScreeningDbContext db, Guid id, CancellationToken _) => db.Tasks.FirstOrDefault(t => t.Id == id));

    /// <summary>The task, tracked; 404 unless it belongs to the caller's jurisdiction (no other government's task is revealed).</summary>
    public static async Task<ReviewTask> FindAsync(ScreeningDbContext db, IStringLocalizer<Strings> text, CurrentUser user, Guid id, CancellationToken cancellationToken)
    {
        var task = await ById(db, id, cancellationToken);
        if (task is null || task.Jurisdiction != user.Jurisdiction)
        {
            throw new NotFoundException(text["err:no-task"]);
        }

        return task;
    }

    public static void RequireHolder(ReviewTask task, IStringLocalizer<Strings> text, CurrentUser user)
    {
        if (Finished(task, text) is { } finished)
        {
            throw new ConflictException(finished);
        }

        if (task.Status != TaskStatuses.Claimed)
        {
            throw new ConflictException(text["err:claim-first"]);
        }

        if (task.Assignee != user.Id)
        {
            throw new ForbiddenException(text["err:held-by-other"]);
        }
    }

    /// <summary>Why nothing more can be done with a task that is over; null while it is open or held.</summary>
    public static string? Finished(ReviewTask task, IStringLocalizer<Strings> text) => task.Status switch
    {
        TaskStatuses.Completed => text["err:task-completed"].Value,
        TaskStatuses.Cancelled => text["err:task-cancelled"].Value,
        _ => null,
    };

    public static void CheckText(IStringLocalizer<Strings> strings, string? text, string path, int max, bool required, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[path] = [strings["err:required"]];
            }

            return;
        }

        if (text.Length > max)
        {
            errors[path] = [strings["err:at-most", max]];
        }
        else if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors[path] = [strings["err:control"]];
        }
    }
}
