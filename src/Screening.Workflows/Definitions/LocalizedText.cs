using System.Text.Json.Nodes;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A text a definition declares, in each language it is given in: <c>{ "en": "…", "fr": "…", "es": "…" }</c>.
/// A plain string means English. Readers ask for their language and fall back to English.
/// </summary>
/// <param name="Texts">Text per language code.</param>
public sealed record LocalizedText(IReadOnlyDictionary<string, string> Texts)
{
    /// <summary>The languages every text should be given in; English is the fallback.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "fr", "es"];

    /// <summary>For a definition's warning: which languages a text at <paramref name="path"/> lacks and what their readers see; null when none.</summary>
    public static string? MissingLanguages(IEnumerable<string> given, string path)
    {
        var missing = Languages.Except(given).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} text at {path}; readers of {(missing.Count == 1 ? "that language" : "those languages")} see English.";
    }

    /// <summary>The English text (or the first given, when a definition has none in English).</summary>
    public string En => Texts.TryGetValue("en", out var en) ? en : Texts.Values.FirstOrDefault() ?? string.Empty;

    /// <summary>The text in a language, or English.</summary>
    public string In(string? language) => language is not null && Texts.TryGetValue(language, out var text) ? text : En;

    /// <summary>An English-only text.</summary>
    public static LocalizedText Of(string english) => new(new Dictionary<string, string> { ["en"] = english });

    /// <inheritdoc />
    public override string ToString() => En;
}

/// <summary>A translated setting whose texts may be literals or <c>=expressions</c> (a templated title).</summary>
public sealed class LocalizedValue
{
    private readonly IReadOnlyList<(string Language, DynamicValue Value)> _values;

    internal LocalizedValue(IReadOnlyList<(string Language, DynamicValue Value)> values) => _values = values;

    /// <summary>The languages given.</summary>
    public IEnumerable<string> Languages => _values.Select(v => v.Language);

    /// <summary>An English literal.</summary>
    public static LocalizedValue Of(string english) => new([("en", DynamicValue.Of(JsonValue.Create(english)))]);

    /// <summary>Literal texts, as given.</summary>
    public static LocalizedValue Of(LocalizedText texts) => new([.. texts.Texts.Select(t => (t.Key, DynamicValue.Of(JsonValue.Create(t.Value))))]);

    /// <summary>The texts now; null when every language evaluates to nothing.</summary>
    public LocalizedText? Evaluate(ExpressionSession session)
    {
        var texts = new Dictionary<string, string>();
        foreach (var (language, value) in _values)
        {
            if (value.EvaluateString(session) is { Length: > 0 } text)
            {
                texts[language] = text;
            }
        }

        return texts.Count == 0 ? null : new LocalizedText(texts);
    }
}
