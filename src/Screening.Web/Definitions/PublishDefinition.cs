using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Definitions;

public sealed record Published(string Key, int Version);

/// <summary>Publishes the draft as the new version; running cases stay on the version they started with.</summary>
public sealed record PublishDefinition(string Actor, string Key) : ICommand<Published>;

public sealed class PublishDefinitionHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time) : ICommandHandler<PublishDefinition, Published>
{
    public async ValueTask<Published> Handle(PublishDefinition command, CancellationToken cancellationToken)
    {
        var versions = await db.Definitions.Where(d => d.Key == command.Key).ToListAsync(cancellationToken);
        if (versions.Count == 0)
        {
            throw new NotFoundException($"There is no definition '{command.Key}'.");
        }

        var draft = versions.FirstOrDefault(d => !d.IsPublished)
            ?? throw new ConflictException("There is no draft to publish; save a draft first.");
        var problems = DefinitionCatalog.Compile(draft).Problems;
        if (problems.Count > 0)
        {
            throw DefinitionJson.Invalid(problems);
        }

        draft.IsPublished = true;
        draft.PublishedAt = time.GetUtcNow().UtcDateTime;
        draft.PublishedBy = command.Actor;
        audit.Record(command.Actor, "definition.published", null, new { key = draft.Key, version = draft.Version, hash = draft.ContentHash });
        await unitOfWork.CommitAsync(cancellationToken);
        return new Published(draft.Key, draft.Version);
    }
}
