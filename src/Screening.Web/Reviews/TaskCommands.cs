using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Reviews;

/// <summary>One task, if the caller may see it (its role and jurisdiction, or its holder).</summary>
public sealed record GetTask(CurrentUser User, Guid TaskId) : IQuery<TaskView>;

public sealed class GetTaskHandler(ScreeningDbContext db, TimeProvider time) : IQueryHandler<GetTask, TaskView>
{
    public async ValueTask<TaskView> Handle(GetTask query, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == query.TaskId, cancellationToken);
        // Officials read every task of their own jurisdiction; another government's tasks do not exist for them.
        if (task is null || task.Jurisdiction != query.User.Jurisdiction)
        {
            throw new NotFoundException("There is no such task.");
        }

        return TaskViews.From(task, time.GetUtcNow());
    }
}

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
        task.Status = TaskStatuses.Claimed;
        task.Assignee = command.User.Id;
        task.ClaimedAt = now.UtcDateTime;
        task.Version++;
        audit.Record(command.User.Id, "task.claimed", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, now);
    }
}

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

        task.Status = TaskStatuses.Open;
        task.Assignee = null;
        task.ClaimedAt = null;
        task.Version++;
        audit.Record(command.User.Id, "task.released", task.CaseId, new { task = task.Id, step = task.StepId });
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(task, time.GetUtcNow());
    }
}

public sealed record ConditionInput(string? Text, int? DueInDays);

public sealed record CompleteBody(string? Outcome, string? Comment, IReadOnlyList<ConditionInput>? Conditions);

/// <summary>Completes a held task with one of its outcomes; the workflow runs on in the same transaction.</summary>
public sealed record CompleteTask(CurrentUser User, Guid TaskId, CompleteBody Body) : ICommand<TaskView>;

public sealed class CompleteTaskHandler(ScreeningDbContext db, CaseWorkflow workflow, UnitOfWork unitOfWork, TimeProvider time) : ICommandHandler<CompleteTask, TaskView>
{
    public const int MaxComment = 20_000;

    public async ValueTask<TaskView> Handle(CompleteTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, command.User, command.TaskId, cancellationToken);
        TaskAccess.RequireHolder(task, command.User);
        var body = command.Body;
        var outcomes = System.Text.Json.JsonSerializer.Deserialize<List<string>>(task.OutcomesJson) ?? [];
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Outcome) || !outcomes.Contains(body.Outcome))
        {
            errors["$.outcome"] = [$"Choose one of this task's outcomes: {string.Join(", ", outcomes)}."];
        }

        TaskAccess.CheckText(body.Comment, "$.comment", MaxComment, required: false, errors);
        var conditions = new JsonArray();
        if (body.Conditions is { } list)
        {
            if (list.Count > 50)
            {
                errors["$.conditions"] = ["At most 50 conditions."];
            }

            for (var i = 0; i < Math.Min(list.Count, 50); i++)
            {
                var condition = list[i];
                if (condition is null)
                {
                    errors[$"$.conditions[{i}]"] = ["A condition needs a text and a number of days."];
                    continue;
                }

                TaskAccess.CheckText(condition.Text, $"$.conditions[{i}].text", 2000, required: true, errors);
                if (condition.DueInDays is not (>= 1 and <= 3650))
                {
                    errors[$"$.conditions[{i}].dueInDays"] = ["A condition is due in 1 to 3650 days."];
                }

                conditions.Add(new JsonObject { ["text"] = condition.Text?.Trim(), ["dueInDays"] = condition.DueInDays });
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var loaded = await workflow.LoadAsync(task.CaseId, command.User.Id, cancellationToken)
            ?? throw new NotFoundException("There is no such task.");
        var tracked = db.Tasks.Local.First(t => t.Id == task.Id);
        tracked.Comment = body.Comment?.Trim();
        var result = loaded.Runner.Resume(loaded.Definition, loaded.Instance, task.Id.ToString(),
            new ResumeInput(command.User.Id, body.Outcome, body.Comment?.Trim(), new JsonObject { ["conditions"] = conditions }));
        switch (result.Status)
        {
            case ResumeStatus.Resumed:
                break;
            case ResumeStatus.AlreadyResumed:
                throw new ConflictException("This task was already completed.");
            case ResumeStatus.Rejected when result.Message?.StartsWith("Four eyes", StringComparison.Ordinal) == true:
                throw new ForbiddenException(result.Message);
            case ResumeStatus.Rejected:
                throw ValidationFailedException.For("$.outcome", result.Message ?? "This outcome is not accepted.");
            default:
                throw new ConflictException(result.Message ?? "The task cannot be completed now.");
        }

        workflow.Store(loaded, command.User.Id);
        await unitOfWork.CommitAsync(cancellationToken);
        return TaskViews.From(tracked, time.GetUtcNow());
    }
}

public sealed record InformationBody(string? Question, int? DueInDays);

public sealed record InformationRequested(Guid RequestId, Guid CaseId, string Question, DateTimeOffset? DueAt, string CaseStatus);

/// <summary>Sends a request for information to the applicant from a held task; the case's clock stops where the step says so.</summary>
public sealed record RequestInformation(CurrentUser User, Guid TaskId, InformationBody Body) : ICommand<InformationRequested>;

public sealed class RequestInformationHandler(ScreeningDbContext db, CaseWorkflow workflow, UnitOfWork unitOfWork) : ICommandHandler<RequestInformation, InformationRequested>
{
    public async ValueTask<InformationRequested> Handle(RequestInformation command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, command.User, command.TaskId, cancellationToken);
        TaskAccess.RequireHolder(task, command.User);
        var errors = new Dictionary<string, string[]>();
        TaskAccess.CheckText(command.Body.Question, "$.question", 4000, required: true, errors);
        if (command.Body.DueInDays is not (>= 1 and <= 365))
        {
            errors["$.dueInDays"] = ["The applicant must be given 1 to 365 days."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        if (!task.AllowsInformationRequests)
        {
            throw new ConflictException("This step does not send requests for information to the applicant.");
        }

        var loaded = await workflow.LoadAsync(task.CaseId, command.User.Id, cancellationToken)
            ?? throw new NotFoundException("There is no such task.");
        var result = loaded.Runner.RequestInformation(loaded.Definition, loaded.Instance, task.Id.ToString(), command.Body.Question!.Trim(), command.Body.DueInDays!.Value, command.User.Id);
        if (!result.Succeeded)
        {
            throw new ConflictException(result.Message ?? "A request cannot be sent now.");
        }

        workflow.Store(loaded, command.User.Id);
        await unitOfWork.CommitAsync(cancellationToken);
        var request = loaded.Instance.FindBookmark(result.BookmarkId!)!;
        return new InformationRequested(Guid.Parse(request.Id), loaded.Case.Id, request.Request!.Question, request.DueAt, loaded.Case.Status);
    }
}

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
