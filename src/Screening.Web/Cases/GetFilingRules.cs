using Mediator;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Cases;

/// <summary>
/// What the filing form marks required beyond what every filing must give: the fields the published pipeline's
/// completeness check demands, as JSON paths (<c>$.investor.ultimateParent</c>). One rule set for both, so a
/// filing the form accepts is never found deficient for a field the form showed.
/// </summary>
public sealed record GetFilingRules : IQuery<IReadOnlySet<string>>;

public sealed class GetFilingRulesHandler(ScreeningDbContext db, DefinitionCatalog catalog, IOptions<ScreeningOptions> options)
    : IQueryHandler<GetFilingRules, IReadOnlySet<string>>
{
    public async ValueTask<IReadOnlySet<string>> Handle(GetFilingRules query, CancellationToken cancellationToken) =>
        await catalog.GetPublishedAsync(db, options.Value.Pipeline, cancellationToken) is { } definition
            ? CaseBindings.FilingRequires(definition).Select(p => "$." + p).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>();
}
