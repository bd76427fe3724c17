using System.Globalization;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.Localization;
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

public sealed class CompleteTaskHandler(ScreeningDbContext db, CaseCommands cases, CalendarCache calendars, TimeProvider time, IStringLocalizer<Strings> text) : ICommandHandler<CompleteTask, TaskView>
{
    public const int MaxComment = 20_000;

    public async ValueTask<TaskView> Handle(CompleteTask command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, text, command.User, command.TaskId, cancellationToken);
        TaskAccess.RequireHolder(task, text, command.User);
        var body = command.Body;
        var outcomes = System.Text.Json.JsonSerializer.Deserialize<List<string>>(task.OutcomesJson) ?? [];
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(body.Outcome) || !outcomes.Contains(body.Outcome))
        {
            errors["$.outcome"] = [text["err:outcome", string.Join(", ", outcomes)]];
        }

        TaskAccess.CheckText(text, body.Comment, "$.comment", MaxComment, required: false, errors);
        var conditions = Conditions(body.Conditions, errors);
        CheckEffectiveOn(task, body.EffectiveOn, errors);
        if (body.AgreedDueOn is { } agreedDueOn && agreedDueOn <= DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            errors["$.agreedDueOn"] = [text["err:agreed-due"]];
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
            AlreadyDone = text["err:already-completed"],
            NotFound = text["err:no-task"],
        };
        _ = await cases.RunAsync(task.CaseId, run, loaded => loaded.Runner.Resume(loaded.Definition, loaded.Instance, task.Id.ToString(), input), cancellationToken)
            ?? throw new NotFoundException(text["err:no-task"]);
        return TaskViews.From(task, time.GetUtcNow());
    }

    private JsonArray Conditions(IReadOnlyList<ConditionInput>? list, Dictionary<string, string[]> errors)
    {
        var conditions = new JsonArray();
        if (list is null)
        {
            return conditions;
        }

        if (list.Count > 50)
        {
            errors["$.conditions"] = [text["err:conditions-max"]];
        }

        for (var i = 0; i < Math.Min(list.Count, 50); i++)
        {
            var condition = list[i];
            if (condition is null)
            {
                errors[$"$.conditions[{i}]"] = [text["err:condition"]];
                continue;
            }

            TaskAccess.CheckText(text, condition.Text, $"$.conditions[{i}].text", 2000, required: true, errors);
            if (condition.DueInDays is not (>= 1 and <= 3650))
            {
                errors[$"$.conditions[{i}].dueInDays"] = [text["err:condition-days"]];
            }

            conditions.Add(new JsonObject { ["text"] = condition.Text?.Trim(), ["dueInDays"] = condition.DueInDays });
        }

        return conditions;
    }

    /// <summary>A day as the caller's language writes it, "1 Dec 2026".</summary>
    private static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

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
            errors["$.effectiveOn"] = [text["err:effective-future", Day(today)]];
        }
        else if (day < opened)
        {
            errors["$.effectiveOn"] = [text["err:effective-before", Day(opened)]];
        }
    }
}
