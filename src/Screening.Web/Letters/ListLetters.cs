using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Letters;

/// <summary>A letter as the API shows it; its PDF is the case document <see cref="DocumentId"/>.</summary>
public sealed record LetterView(Guid Id, string Kind, string Language, Guid DocumentId, DateTimeOffset CreatedAt);

/// <summary>The letters of a case, oldest first; 404 when the case is not the caller's to see.</summary>
public sealed record ListLetters(CurrentUser User, Guid CaseId) : IQuery<IReadOnlyList<LetterView>>;

public sealed class ListLettersHandler(ScreeningDbContext db) : IQueryHandler<ListLetters, IReadOnlyList<LetterView>>
{
    public async ValueTask<IReadOnlyList<LetterView>> Handle(ListLetters query, CancellationToken cancellationToken)
    {
        var record = await CaseViews.ReadableAsync(db, query.User, query.CaseId, cancellationToken);

        var letters = await db.Letters.AsNoTracking().Where(l => l.CaseId == record.Id).OrderBy(l => l.CreatedAt).ThenBy(l => l.Id).ToListAsync(cancellationToken);
        return [.. letters.Select(l => new LetterView(l.Id, l.Kind, l.Language, l.DocumentId, CaseViews.Utc(l.CreatedAt)))];
    }
}
