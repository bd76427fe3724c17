using System.Collections.Concurrent;
using Fluid;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Letters;

/// <summary>
/// The Liquid templates letters are written from: one per kind and language, shipped with the host
/// (Letters/Templates/{kind}.{language}.liquid) and replaced by an administrator's version kept in the database.
/// </summary>
public sealed class LetterTemplates
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new();
    private static readonly ConcurrentDictionary<string, IFluidTemplate> Parsed = new();

    public static bool IsKnown(string kind, string language) => LetterKinds.All.Contains(kind) && LetterKinds.Languages.Contains(language);

    private static readonly ConcurrentDictionary<(string Kind, string Language), string> Shipped = new();

    /// <summary>The template shipped with the host (read from the assembly once).</summary>
    public static string Default(string kind, string language) => Shipped.GetOrAdd((kind, language), key => ReadShipped(key.Kind, key.Language));

    private static string ReadShipped(string kind, string language)
    {
        using var stream = typeof(LetterTemplates).Assembly.GetManifestResourceStream($"Screening.Web.Letters.Templates.{kind}.{language}.liquid")
            ?? throw new InvalidOperationException($"No shipped letter template {kind}.{language}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Whether a text is a template Fluid can use; the parser's message when it is not.</summary>
    public static bool TryParse(string text, out IFluidTemplate? template, out string? error)
    {
        if (Parser.TryParse(text, out var parsed, out error))
        {
            template = parsed;
            return true;
        }

        template = null;
        return false;
    }

    /// <summary>The templates in force for a kind, by language: the administrator's where there is one, else the shipped one; one read for all.</summary>
    public static async Task<Dictionary<string, string>> CurrentAsync(ScreeningDbContext db, string kind, IReadOnlyList<string> languages, CancellationToken cancellationToken)
    {
        var stored = languages.Count == 0 ? [] : await db.LetterTemplates.AsNoTracking()
            .Where(t => t.Kind == kind && languages.Contains(t.Language))
            .ToDictionaryAsync(t => t.Language, t => t.Text, cancellationToken);
        return languages.ToDictionary(l => l, l => stored.GetValueOrDefault(l) ?? Default(kind, l));
    }

    /// <summary>Writes a model with a template's text (parsed once per text).</summary>
    public static async Task<string> RenderAsync(string text, IReadOnlyDictionary<string, object?> model)
    {
        var template = Parsed.GetOrAdd(text, t => TryParse(t, out var parsed, out var error) ? parsed! : throw new InvalidOperationException($"A stored letter template does not parse: {error}"));
        if (Parsed.Count > 256)
        {
            Parsed.Clear();
        }

        var context = new TemplateContext(Options);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, Fluid.Values.FluidValue.Create(value, Options));
        }

        return await template.RenderAsync(context, NullEncoder.Default, false);
    }
}
