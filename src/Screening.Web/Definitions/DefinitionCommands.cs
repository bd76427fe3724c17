using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Definitions;

namespace Screening.Web.Definitions;

public sealed record DefinitionSummary(string Key, string Name, int LatestVersion, int? PublishedVersion, bool HasDraft, int? DraftVersion);

public sealed record DraftSaved(string Key, int Version, string Name, bool HasDraft);

public sealed record Published(string Key, int Version);

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
        var compiled = CompiledDefinition.Compile(body.ToJsonString(), out var problems);
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

/// <summary>How definitions are stored and reported.</summary>
public static class DefinitionJson
{
    public static System.Text.Json.JsonSerializerOptions Indented { get; } = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>The stored JSON with its version number and publication state set.</summary>
    public static JsonNode WithVersion(DefinitionRecord record)
    {
        var node = JsonNode.Parse(record.Json)!.AsObject();
        node["version"] = record.Version;
        node["status"] = record.IsPublished ? "published" : "draft";
        return node;
    }

    /// <summary>400 with every problem: <c>errors</c> keyed by path, plus the problems with their codes and steps.</summary>
    public static ValidationFailedException Invalid(IReadOnlyList<ValidationProblem> problems) =>
        new DefinitionInvalidException(problems);
}

/// <summary>A definition with problems; the problem document also lists each problem with its code and step.</summary>
public sealed class DefinitionInvalidException : ValidationFailedException
{
    public DefinitionInvalidException(IReadOnlyList<ValidationProblem> problems)
        : base(problems.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()), $"The definition has {problems.Count} problem(s).")
    {
        Problems = problems;
        Extensions["problems"] = problems.Select(p => new { path = p.Path, code = p.Code, message = p.Message, stepId = p.StepId }).ToList();
    }

    public IReadOnlyList<ValidationProblem> Problems { get; }
}
