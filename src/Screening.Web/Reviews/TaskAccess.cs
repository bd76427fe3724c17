using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>Shared checks of the task commands.</summary>
internal static class TaskAccess
{
    /// <summary>The task, tracked; 404 unless it belongs to the caller's jurisdiction (no other government's task is revealed).</summary>
    public static async Task<ReviewTask> FindAsync(ScreeningDbContext db, CurrentUser user, Guid id, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (task is null || task.Jurisdiction != user.Jurisdiction)
        {
            throw new NotFoundException("There is no such task.");
        }

        return task;
    }

    public static void RequireHolder(ReviewTask task, CurrentUser user)
    {
        if (task.Status is TaskStatuses.Completed or TaskStatuses.Cancelled)
        {
            throw new ConflictException($"This task is {task.Status}.");
        }

        if (task.Status != TaskStatuses.Claimed)
        {
            throw new ConflictException("Claim the task first.");
        }

        if (task.Assignee != user.Id)
        {
            throw new ForbiddenException("Another official holds this task.");
        }
    }

    public static void CheckText(string? text, string path, int max, bool required, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors[path] = ["This field is required."];
            }

            return;
        }

        if (text.Length > max)
        {
            errors[path] = [$"At most {max} characters."];
        }
        else if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            errors[path] = ["This contains control characters."];
        }
    }
}
