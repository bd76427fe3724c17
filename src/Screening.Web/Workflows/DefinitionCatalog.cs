using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Workflows.Definitions;

namespace Screening.Web.Workflows;

/// <summary>
/// Compiled definitions by key and version. A published version never changes, so each is compiled
/// (its scripts prepared) once per process.
/// </summary>
public sealed class DefinitionCatalog
{
    private readonly ConcurrentDictionary<(string Key, int Version), CompiledDefinition> _compiled = new();

    /// <summary>The compiled published version, loading it from the database the first time.</summary>
    public async Task<CompiledDefinition?> GetAsync(ScreeningDbContext db, string key, int version, CancellationToken cancellationToken)
    {
        if (_compiled.TryGetValue((key, version), out var compiled))
        {
            return compiled;
        }

        var record = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Key == key && d.Version == version && d.IsPublished, cancellationToken);
        if (record is null)
        {
            return null;
        }

        compiled = Compile(record);
        _compiled[(key, version)] = compiled;
        return compiled;
    }

    /// <summary>The latest published version of a key.</summary>
    public async Task<CompiledDefinition?> GetPublishedAsync(ScreeningDbContext db, string key, CancellationToken cancellationToken)
    {
        var version = await db.Definitions.Where(d => d.Key == key && d.IsPublished).MaxAsync(d => (int?)d.Version, cancellationToken);
        return version is null ? null : await GetAsync(db, key, version.Value, cancellationToken);
    }

    /// <summary>Compiles a stored version with its version number, held to the contract's words.</summary>
    public static CompiledDefinition Compile(DefinitionRecord record)
    {
        var read = WorkflowDefinitionReader.Read(record.Json);
        var definition = read.Definition ?? throw new InvalidOperationException($"Stored definition {record.Key} v{record.Version} does not read.");
        return CompiledDefinition.Compile(definition with { Version = record.Version }, read: read, vocabulary: ScreeningVocabulary.Words);
    }

    /// <summary>Compiles a definition's JSON (a draft, a shipped file), held to the contract's words.</summary>
    public static CompiledDefinition? Compile(string json, out IReadOnlyList<ValidationProblem> problems) =>
        CompiledDefinition.Compile(json, out problems, vocabulary: ScreeningVocabulary.Words);
}
