using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

public sealed record AnswerBody(string? Answer, IReadOnlyList<Guid>? DocumentIds);

/// <summary>
/// The applicant answers a request for information, referring to documents they uploaded to the case
/// (<c>documentIds</c>: attached to this answer, recorded in its audit entry); a clock it stopped resumes.
/// </summary>
public sealed record AnswerRequest(CurrentUser User, Guid CaseId, Guid RequestId, string? Answer, IReadOnlyList<Guid>? DocumentIds = null) : ICommand<SubmittedCase>;

public sealed class AnswerRequestHandler(CaseCommands cases, ScreeningDbContext db) : ICommandHandler<AnswerRequest, SubmittedCase>
{
    public const int MaxAnswer = 20_000;
    public const int MaxDocuments = 50;

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

        var documentIds = command.DocumentIds ?? [];
        if (documentIds.Count > MaxDocuments)
        {
            throw ValidationFailedException.For("$.documentIds", $"An answer refers to at most {MaxDocuments} documents.");
        }

        // Only the caller's own filing documents of this case load; any other id reads as one that does not exist.
        var documents = documentIds.Count == 0 ? [] : await db.Documents
            .Where(d => d.CaseId == command.CaseId && d.UploadedBy == command.User.Id && d.Classification == DocumentClassifications.Applicant && documentIds.Contains(d.Id))
            .ToDictionaryAsync(d => d.Id, cancellationToken);

        const string noSuchRequest = "There is no such open request on this case.";
        var requestId = command.RequestId.ToString();
        var run = new CaseCommand(command.User.Id, "request.answered")
        {
            Data = documentIds.Count == 0 ? (object)new { request = command.RequestId } : new { request = command.RequestId, documents = documentIds.Distinct().ToList() },
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

            var result = loaded.Runner.Resume(loaded.Definition, loaded.Instance, requestId, new ResumeInput(command.User.Id, Comment: answer));
            // Judged once the answer itself is: a request already answered stays a 409, whatever it refers to.
            if (result.Succeeded)
            {
                AttachDocuments(documentIds, documents, command.RequestId);
            }

            return result;
        }, cancellationToken) ?? throw new NotFoundException("There is no such case.");
        return new SubmittedCase(done.Loaded.Case.Id, done.Loaded.Case.Reference, done.Loaded.Case.Status);
    }

    /// <summary>Each id must be a document the applicant uploaded to this case and no other answer refers to; 400 by path otherwise.</summary>
    private static void AttachDocuments(IReadOnlyList<Guid> ids, Dictionary<Guid, DocumentRecord> documents, Guid requestId)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (!documents.TryGetValue(ids[i], out var document))
            {
                errors[$"$.documentIds[{i}]"] = ["This is not a document you uploaded to this case."];
            }
            else if (document.RequestId is { } other && other != requestId)
            {
                errors[$"$.documentIds[{i}]"] = ["This document is attached to another answer."];
            }
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        foreach (var document in documents.Values.Where(d => d.RequestId is null))
        {
            document.AttachToAnswer(requestId);
        }
    }
}
