using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

public sealed record AnswerBody(string? Answer);

/// <summary>The applicant answers a request for information; a clock it stopped resumes.</summary>
public sealed record AnswerRequest(CurrentUser User, Guid CaseId, Guid RequestId, string? Answer) : ICommand<SubmittedCase>;

public sealed class AnswerRequestHandler(CaseCommands cases) : ICommandHandler<AnswerRequest, SubmittedCase>
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

        const string noSuchRequest = "There is no such open request on this case.";
        var requestId = command.RequestId.ToString();
        var run = new CaseCommand(command.User.Id, "request.answered")
        {
            Data = new { request = command.RequestId },
            InputPath = "$.answer",
            AlreadyDone = "This request was already answered or closed.",
            NotFound = noSuchRequest,
        };
        var done = await cases.RunAsync(command.CaseId, run, loaded =>
        {
            if (loaded.Case.ApplicantId != command.User.Id)
            {
                throw new NotFoundException("There is no such case.");
            }

            if (loaded.Instance.FindBookmark(requestId) is { Kind: not BookmarkKind.InformationRequest })
            {
                throw new NotFoundException(noSuchRequest);
            }

            return loaded.Runner.Resume(loaded.Definition, loaded.Instance, requestId, new ResumeInput(command.User.Id, Comment: answer));
        }, cancellationToken) ?? throw new NotFoundException("There is no such case.");
        return new SubmittedCase(done.Loaded.Case.Id, done.Loaded.Case.Reference, done.Loaded.Case.Status);
    }
}
