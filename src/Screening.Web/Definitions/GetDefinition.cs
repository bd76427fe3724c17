using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Definitions;

/// <summary>A version's JSON (the published one when no version is given).</summary>
public sealed record GetDefinition(string Key, int? Version) : IQuery<JsonNode>;

public sealed class GetDefinitionHandler(ScreeningDbContext db) : IQueryHandler<GetDefinition, JsonNode>
{
    public async ValueTask<JsonNode> Handle(GetDefinition query, CancellationToken cancellationToken)
    {
        var rows = db.Definitions.AsNoTracking().Where(d => d.Key == query.Key);
        var record = query.Version is { } version
            ? await rows.FirstOrDefaultAsync(d => d.Version == version, cancellationToken)
            : await rows.Where(d => d.IsPublished).OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            throw new NotFoundException(query.Version is null ? $"No published definition '{query.Key}'." : $"Definition '{query.Key}' has no version {query.Version}.");
        }

        return DefinitionJson.WithVersion(record);
    }
}
