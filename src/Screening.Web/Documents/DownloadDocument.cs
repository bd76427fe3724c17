using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Documents;

/// <summary>A document's content, opened for reading, and what it is.</summary>
public sealed record DocumentContent(DocumentView Document, Stream Content);

/// <summary>
/// A document's content for a caller who may see it (404 otherwise, as for a document that does not exist). Every
/// read of a document the applicant may not see is recorded in the audit trail: who, when, which, its hash.
/// </summary>
public sealed record DownloadDocument(CurrentUser User, Guid CaseId, Guid DocumentId) : ICommand<DocumentContent>;

public sealed class DownloadDocumentHandler(ScreeningDbContext db, IContentStore store, AuditTrail audit, UnitOfWork unitOfWork)
    : ICommandHandler<DownloadDocument, DocumentContent>
{
    public async ValueTask<DocumentContent> Handle(DownloadDocument command, CancellationToken cancellationToken)
    {
        var record = await CaseViews.ReadableAsync(db, command.User, command.CaseId, cancellationToken);

        var document = await DocumentAccess.VisibleTo(db.Documents.AsNoTracking().Where(d => d.CaseId == record.Id && d.Id == command.DocumentId), command.User)
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such document on this case.");
        var content = await store.OpenAsync(document.Sha256, cancellationToken)
            ?? throw new InvalidOperationException($"The content {document.Sha256} of document {document.Id} is missing from the store.");
        if (DocumentAccess.IsRestricted(document))
        {
            try
            {
                audit.Record(command.User.Id, "document.downloaded", record.Id, new
                {
                    document = document.Id,
                    sha256 = document.Sha256,
                    classification = document.Classification,
                    jurisdiction = document.Jurisdiction,
                });
                // Recorded before a byte is sent: a read that cannot be recorded does not happen.
                await unitOfWork.CommitAsync(cancellationToken);
            }
            catch
            {
                await content.DisposeAsync();
                throw;
            }
        }

        return new DocumentContent(DocumentAccess.View(document), content);
    }
}
