using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Definitions;

namespace Screening.Web.Definitions;

public sealed record DraftSaved(string Key, int Version, string Name, bool HasDraft);

/// <summary>Saves a draft after validating it whole; 400 lists every problem by JSON path.</summary>
public sealed record SaveDraft(string Actor, string Key, JsonNode? Body) : ICommand<DraftSaved>;

public sealed class SaveDraftHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time) : ICommandHandler<SaveDraft, DraftSaved>
{
    public async ValueTask<DraftSaved> Handle(SaveDraft command, CancellationToken cancellationToken)
    {
        if (command.Body is not JsonObject body)
        {
            throw ValidationFailedException.For("$", "The definition must be a JSON object.");
        }

        if (body["key"] is JsonValue k && k.TryGetValue<string>(out var bodyKey) && bodyKey != command.Key)
        {
            throw ValidationFailedException.For("$.key", $"The key in the body ('{Shorten(bodyKey)}') differs from the key in the address ('{command.Key}').");
        }

        body["key"] = command.Key;
        var compiled = DefinitionCatalog.Compile(body.ToJsonString(), out var problems);
        if (problems.Count > 0)
        {
            throw DefinitionJson.Invalid(problems);
        }

        var definition = compiled!.Definition;
        var versions = await db.Definitions.Where(d => d.Key == command.Key).ToListAsync(cancellationToken);
        var draft = versions.FirstOrDefault(d => !d.IsPublished);
        var now = time.GetUtcNow().UtcDateTime;
        body.Remove("version");
        var json = body.ToJsonString(DefinitionJson.Indented);
        if (draft is null)
        {
            draft = new DefinitionRecord
            {
                Key = command.Key,
                Version = versions.Count == 0 ? 1 : versions.Max(d => d.Version) + 1,
                Name = definition.Name,
                Json = json,
                ContentHash = DefinitionJson.Hash(json),
                IsPublished = false,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Definitions.Add(draft);
        }
        else
        {
            draft.Name = definition.Name;
            draft.Json = json;
            draft.ContentHash = DefinitionJson.Hash(json);
            draft.UpdatedAt = now;
        }

        audit.Record(command.Actor, "definition.draft-saved", null, new { key = command.Key, version = draft.Version, hash = draft.ContentHash });
        await unitOfWork.CommitAsync(cancellationToken);
        return new DraftSaved(draft.Key, draft.Version, draft.Name, true);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
