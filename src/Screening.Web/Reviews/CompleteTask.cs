using System.Text.Json.Nodes;
using Mediator;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Reviews;

public sealed record ConditionInput(string? Text, int? DueInDays);

/// <param name="EffectiveOn">The day the legal act the outcome records took effect (a notice sent, an order made); today when not given.</param>
/// <param name="AgreedDueOn">A period's new last day, when the outcome records an extension both parties signed.</param>
public sealed record CompleteBody(string? Outcome, string? Comment, IReadOnlyList<ConditionInput>? Conditions, DateOnly? EffectiveOn = null, DateOnly? AgreedDueOn = null);

/// <summary>Completes a held task with one of its outcomes; the workflow runs on in the same transaction.</summary>
public sealed record CompleteTask(CurrentUser User, Guid TaskId, CompleteBody Body) : ICommand<TaskView>;

public sealed class CompleteTaskHandler(ScreeningDbContext db, CaseCommands cases, CalendarCache calendars, TimeProvider time) : ICommandHandler<CompleteTask, TaskView>
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
        var conditions = Conditions(body.Conditions, errors);
        CheckEffectiveOn(task, body.EffectiveOn, errors);
        if (body.AgreedDueOn is { } agreedDueOn && agreedDueOn <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            errors["$.agreedDueOn"] = ["An agreed last day must be still to come."];
        }
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var comment = body.Comment?.Trim();
        var data = new JsonObject { ["conditions"] = conditions };
        if (body.AgreedDueOn is { } agreed)
        {
            data["agreedDueOn"] = agreed.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        var input = new ResumeInput(command.User.Id, body.Outcome, comment, data, body.EffectiveOn);
        var run = new CaseCommand(command.User.Id, "task.completed")
        {
            Data = new { task = task.Id, step = task.StepId, outcome = body.Outcome, jurisdiction = task.Jurisdiction, effectiveOn = body.EffectiveOn },
            InputPath = "$.outcome",
            AlreadyDone = "This task was already completed.",
            NotFound = "There is no such task.",
        };
        _ = await cases.RunAsync(task.CaseId, run, loaded => loaded.Runner.Resume(loaded.Definition, loaded.Instance, task.Id.ToString(), input), cancellationToken)
            ?? throw new NotFoundException("There is no such task.");
        return TaskViews.From(task, time.GetUtcNow());
    }

    private static JsonArray Conditions(IReadOnlyList<ConditionInput>? list, Dictionary<string, string[]> errors)
    {
        var conditions = new JsonArray();
        if (list is null)
        {
            return conditions;
        }

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

        return conditions;
    }

    /// <summary>An act can take effect today or on an earlier day since the task opened, in the task's jurisdiction.</summary>
    private void CheckEffectiveOn(ReviewTask task, DateOnly? effectiveOn, Dictionary<string, string[]> errors)
    {
        if (effectiveOn is not { } day)
        {
            return;
        }

        var calendar = calendars.Find(task.Jurisdiction);
        var today = calendar?.DateOf(time.GetUtcNow()) ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var opened = calendar?.DateOf(CaseViews.Utc(task.CreatedAt)) ?? DateOnly.FromDateTime(task.CreatedAt);
        if (day > today)
        {
            errors["$.effectiveOn"] = [$"An act cannot take effect on a day still to come; today is {today:yyyy-MM-dd}."];
        }
        else if (day < opened)
        {
            errors["$.effectiveOn"] = [$"The task opened on {opened:yyyy-MM-dd}; an act it records cannot take effect before that."];
        }
    }
}
