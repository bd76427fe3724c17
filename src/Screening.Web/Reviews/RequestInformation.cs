using Mediator;
using Microsoft.Extensions.Localization;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Reviews;

public sealed record InformationBody(string? Question, int? DueInDays);

public sealed record InformationRequested(Guid RequestId, Guid CaseId, string Question, DateTimeOffset? DueAt, string CaseStatus);

/// <summary>Sends a request for information to the applicant from a held task; the case's clock stops where the step says so.</summary>
public sealed record RequestInformation(CurrentUser User, Guid TaskId, InformationBody Body) : ICommand<InformationRequested>;

public sealed class RequestInformationHandler(ScreeningDbContext db, CaseCommands cases, IStringLocalizer<Strings> text) : ICommandHandler<RequestInformation, InformationRequested>
{
    public async ValueTask<InformationRequested> Handle(RequestInformation command, CancellationToken cancellationToken)
    {
        var task = await TaskAccess.FindAsync(db, text, command.User, command.TaskId, cancellationToken);
        TaskAccess.RequireHolder(task, text, command.User);
        var errors = new Dictionary<string, string[]>();
        TaskAccess.CheckText(text, command.Body.Question, "$.question", 4000, required: true, errors);
        if (command.Body.DueInDays is not (>= 1 and <= 365))
        {
            errors["$.dueInDays"] = [text["err:request-days"]];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        if (!task.AllowsInformationRequests)
        {
            throw new ConflictException(text["err:no-requests"]);
        }

        var question = command.Body.Question!.Trim();
        var run = new CaseCommand(command.User.Id, "request.opened")
        {
            Data = new { task = task.Id, step = task.StepId, jurisdiction = task.Jurisdiction },
            InputPath = "$.dueInDays",
            NotFound = text["err:no-task"],
        };
        var done = await cases.RunAsync(task.CaseId, run,
            loaded => loaded.Runner.RequestInformation(loaded.Definition, loaded.Instance, task.Id.ToString(), question, command.Body.DueInDays!.Value, command.User.Id), cancellationToken)
            ?? throw new NotFoundException(text["err:no-task"]);
        var request = done.Loaded.Instance.FindBookmark(done.Result.BookmarkId!)!;
        return new InformationRequested(Guid.Parse(request.Id), done.Loaded.Case.Id, request.Request!.Question, request.DueAt, done.Loaded.Case.Status);
    }
}
