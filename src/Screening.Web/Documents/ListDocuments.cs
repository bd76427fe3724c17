using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Documents;

/// <summary>The documents of a case the caller may see, oldest first; 404 when the case is not theirs to see.</summary>
public sealed record ListDocuments(CurrentUser User, Guid CaseId) : IQuery<IReadOnlyList<DocumentView>>;

public sealed class ListDocumentsHandler(ScreeningDbContext db) : IQueryHandler<ListDocuments, IReadOnlyList<DocumentView>>
{
    public async ValueTask<IReadOnlyList<DocumentView>> Handle(ListDocuments query, CancellationToken cancellationToken)
    {
        var record = await CaseViews.ReadableAsync(db, query.User, query.CaseId, cancellationToken);

        var documents = await DocumentAccess.VisibleTo(db.Documents.AsNoTracking().Where(d => d.CaseId == record.Id), query.User)
            .OrderBy(d => d.UploadedAt).ThenBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return [.. documents.Select(DocumentAccess.View)];
    }
}
