using Screening.Workflows.Runtime;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Documents;

/// <summary>
/// Before an upload's body is read: the caller may add documents to this case, and the case has room for a
/// body of the declared length. A refusal here costs the client nothing but the headers it sent.
/// </summary>
public sealed record PrepareUpload(CurrentUser User, Guid CaseId, long? DeclaredBytes) : IQuery<Unit>;

/// <summary>
/// An applicant adds a document to the filing of their own case (classification <c>applicant</c> only); an
/// official to a case their jurisdiction takes part in, of any classification (by default <c>government</c>:
/// nothing an official sends reaches the applicant unless they say so). Accepted by its content, within the
/// size limits, it is put in the content store under its SHA-256 and recorded with that hash in the audit trail.
/// </summary>
public sealed record UploadDocument(CurrentUser User, Guid CaseId, StagedContent Content, string? FileName, string? Classification) : ICommand<DocumentView>;

public sealed class UploadDocumentHandler(
    ScreeningDbContext db,
    IContentStore store,
    UnitOfWork unitOfWork,
    AuditTrail audit,
    TimeProvider time,
    IOptions<ScreeningOptions> options,
    ILogger<UploadDocumentHandler> logger)
    : ICommandHandler<UploadDocument, DocumentView>, IQueryHandler<PrepareUpload, Unit>
{
    public async ValueTask<Unit> Handle(PrepareUpload query, CancellationToken cancellationToken)
    {
        var record = await UploadableAsync(query.User, query.CaseId, cancellationToken);
        var limit = options.Value.Documents.MaxFileBytes;
        if (query.DeclaredBytes > limit)
        {
            throw new TooLargeException(DocumentForm.FileTooLarge(limit));
        }

        await CheckRoomAsync(record.Id, Math.Max(1, query.DeclaredBytes ?? 1), cancellationToken);
        return Unit.Value;
    }

    public async ValueTask<DocumentView> Handle(UploadDocument command, CancellationToken cancellationToken)
    {
        var user = command.User;
        var record = await UploadableAsync(user, command.CaseId, cancellationToken);
        var classification = command.Classification is { Length: > 0 } given ? given : user.IsOfficial ? DocumentClassifications.Government : DocumentClassifications.Applicant;
        if (!DocumentClassifications.All.Contains(classification))
        {
            throw ValidationFailedException.For("$.classification", "Use applicant, government or jurisdiction.");
        }

        if (!user.IsOfficial && classification != DocumentClassifications.Applicant)
        {
            throw new ForbiddenException("An applicant's documents are seen by the applicant and both governments: send classification 'applicant'.");
        }

        var (format, refusal) = DocumentFormats.Detect(command.Content.Path);
        if (format is null)
        {
            throw new UnsupportedContentException(refusal!);
        }

        await CheckRoomAsync(record.Id, command.Content.Length, cancellationToken);

        var document = new DocumentRecord
        {
            Id = SortableIds.New(time.GetUtcNow()),
            CaseId = record.Id,
            Name = DocumentAccess.SafeName(command.FileName, format),
            ContentType = format.ContentType,
            Size = command.Content.Length,
            Sha256 = command.Content.Sha256,
            Classification = classification,
            Jurisdiction = user.IsOfficial ? user.Jurisdiction : null,
            UploadedBy = user.Id,
            UploadedAt = time.GetUtcNow().UtcDateTime,
            Purpose = user.IsOfficial ? DocumentPurposes.Case : DocumentPurposes.Filing,
        };
        // The content is in the store before the row that names it commits, so a committed row always has its file.
        var added = await store.PutAsync(command.Content, cancellationToken);
        db.Documents.Add(document);
        // The name stays out of the trail: the partner government reads the case's audit, and a jurisdiction document's name is not theirs to read.
        audit.Record(user.Id, "document.uploaded", record.Id, new
        {
            document = document.Id,
            sha256 = document.Sha256,
            size = document.Size,
            contentType = document.ContentType,
            classification,
            jurisdiction = document.Jurisdiction,
            purpose = document.Purpose,
        });
        try
        {
            await unitOfWork.CommitAsync(CancellationToken.None);
        }
        catch
        {
            if (added && !await db.Documents.AsNoTracking().AnyAsync(d => d.Sha256 == document.Sha256, CancellationToken.None))
            {
                await store.DeleteAsync(document.Sha256, CancellationToken.None);
            }

            throw;
        }

        logger.LogInformation("Document {Document} ({Size} bytes, {Sha256}) added to case {Case}", document.Id, document.Size, document.Sha256, record.Id);
        return DocumentAccess.View(document);
    }

    /// <summary>The case, when the caller may add documents to it; 404 as for any case the caller cannot see.</summary>
    private async Task<CaseRecord> UploadableAsync(CurrentUser user, Guid caseId, CancellationToken cancellationToken)
    {
        var record = await CaseViews.ReadableAsync(db, user, caseId, cancellationToken);

        if (!user.IsOfficial && !(user.IsApplicant && record.ApplicantId == user.Id))
        {
            throw new ForbiddenException("Applicants add documents to their own cases, and officials to their jurisdiction's.");
        }

        return record;
    }

    private async Task CheckRoomAsync(Guid caseId, long bytes, CancellationToken cancellationToken)
    {
        var limit = options.Value.Documents.MaxCaseBytes;
        var used = await db.Documents.AsNoTracking().Where(d => d.CaseId == caseId).SumAsync(d => (long?)d.Size, cancellationToken) ?? 0;
        if (used + bytes > limit)
        {
            throw new TooLargeException($"A case's documents are limited to {limit / (1024 * 1024)} MB in all; this one would take it over.");
        }
    }
}
