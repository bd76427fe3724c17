using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Definitions;

public sealed record DefinitionSummary(string Key, string Name, int LatestVersion, int? PublishedVersion, bool HasDraft, int? DraftVersion);

/// <summary>Every definition key with its latest, published and draft versions.</summary>
public sealed record ListDefinitions : IQuery<IReadOnlyList<DefinitionSummary>>;

public sealed class ListDefinitionsHandler(ScreeningDbContext db) : IQueryHandler<ListDefinitions, IReadOnlyList<DefinitionSummary>>
{
    public async ValueTask<IReadOnlyList<DefinitionSummary>> Handle(ListDefinitions query, CancellationToken cancellationToken)
    {
        var rows = await db.Definitions.AsNoTracking().Select(d => new { d.Key, d.Version, d.Name, d.IsPublished }).ToListAsync(cancellationToken);
        return [.. rows.GroupBy(r => r.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var latest = g.MaxBy(r => r.Version)!;
            var published = g.Where(r => r.IsPublished).MaxBy(r => r.Version);
            var draft = g.FirstOrDefault(r => !r.IsPublished);
            return new DefinitionSummary(g.Key, latest.Name, latest.Version, published?.Version, draft is not null, draft?.Version);
        })];
    }
}
