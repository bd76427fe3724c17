using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

public sealed record AnswerBody(string? Answer);

/// <summary>The applicant answers a request for information; a clock it stopped resumes.</summary>
public sealed record AnswerRequest(CurrentUser User, Guid CaseId, Guid RequestId, string? Answer) : ICommand<SubmittedCase>;

public sealed class AnswerRequestHandler(ScreeningDbContext db, CaseWorkflow workflow, UnitOfWork unitOfWork) : ICommandHandler<AnswerRequest, SubmittedCase>
{
    public const int MaxAnswer = 20_000;

    public async ValueTask<SubmittedCase> Handle(AnswerRequest command, CancellationToken cancellationToken)
    {
        var answer = command.Answer?.Trim();
        if (string.IsNullOrEmpty(answer))
        {
            throw ValidationFailedException.For("$.answer", "An answer is required.");
        }

        if (answer.Length > MaxAnswer || answer.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            throw ValidationFailedException.For("$.answer", $"The answer must be at most {MaxAnswer} characters of text.");
        }

        var loaded = await workflow.LoadAsync(command.CaseId, command.User.Id, cancellationToken);
        if (loaded is null || loaded.Case.ApplicantId != command.User.Id)
        {
            throw new NotFoundException("There is no such case.");
        }

        var requestId = command.RequestId.ToString();
        if (loaded.Instance.FindBookmark(requestId) is { Kind: not BookmarkKind.InformationRequest })
        {
            throw new NotFoundException("There is no such open request on this case.");
        }

        var result = loaded.Runner.Resume(loaded.Definition, loaded.Instance, requestId, new ResumeInput(command.User.Id, Comment: answer));
        switch (result.Status)
        {
            case ResumeStatus.Resumed:
                break;
            case ResumeStatus.AlreadyResumed:
                throw new ConflictException("This request was already answered or closed.");
            case ResumeStatus.NotFound:
                throw new NotFoundException("There is no such open request on this case.");
            default:
                throw new ConflictException(result.Message ?? "The request cannot be answered now.");
        }

        // Officials read the answer from the request's row (the workflow keeps its own copy).
        if (db.InformationRequests.Local.FirstOrDefault(r => r.Id == command.RequestId) is { } row)
        {
            row.Answer = answer;
        }

        workflow.Store(loaded, command.User.Id);
        await unitOfWork.CommitAsync(cancellationToken);
        return new SubmittedCase(loaded.Case.Id, loaded.Case.Reference, loaded.Case.Status);
    }
}
