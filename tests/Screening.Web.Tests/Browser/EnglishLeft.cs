using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using Screening.Testing;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// Finds English left on a page read in French or Spanish: the English text of every resource whose translation
/// differs from it (so words spelled alike in both languages are not flagged), looked for as whole words in what
/// the page shows. What is English on purpose is marked <c>lang="en"</c> (the engine's trace) and left out, as is
/// what a person typed in their own words (<c>translate="no"</c>: a filing's summary, a parent company's name), and so
/// are the language switch and form fields' contents (the definition's code editor's text among them).
/// </summary>
public static class EnglishLeft
{
    private static readonly Lazy<IReadOnlyList<(string Key, string English, Regex Pattern, Dictionary<string, string> Translations)>> Resources = new(Load);

    public static async Task<IReadOnlyList<string>> OnPageAsync(IPage page, string language)
    {
        var text = await page.EvaluateAsync<string>("""
            () => {
              const root = document.body.cloneNode(true);
              root.querySelectorAll('[lang=en], [translate=no], script, style, textarea, input, .monaco-editor, .monaco-aria-container, .languages, #blazor-error-ui').forEach(e => e.remove());
              return root.textContent.replace(/\s+/g, ' ');
            }
            """);
        return [.. Resources.Value
            .Where(r => r.Translations.TryGetValue(language, out var translated) && translated != r.English && !translated.Contains(r.English, StringComparison.Ordinal))
            .Where(r => r.Pattern.IsMatch(text))
            .Select(r => $"{r.Key}: \"{r.English}\" in …{Around(text, r.Pattern.Match(text))}…")];
    }

    public static async Task AssertNoneAsync(IPage page, string language, string where)
    {
        var left = await OnPageAsync(page, language);
        Assert.True(left.Count == 0, $"English on {where} ({language}):\n" + string.Join("\n", left));
    }

    private static string Around(string text, Match match) =>
        text.Substring(Math.Max(0, match.Index - 30), Math.Min(text.Length - Math.Max(0, match.Index - 30), match.Length + 60));

    private static List<(string, string, Regex, Dictionary<string, string>)> Load()
    {
        var folder = Path.Combine(RepositoryRoot.Folder, "src", "Screening.Web", "Resources");
        static Dictionary<string, string> Read(string path) =>
            XDocument.Load(path).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
        var english = Read(Path.Combine(folder, "Strings.resx"));
        var fr = Read(Path.Combine(folder, "Strings.fr.resx"));
        var es = Read(Path.Combine(folder, "Strings.es.resx"));
        var found = new List<(string, string, Regex, Dictionary<string, string>)>();
        foreach (var (key, text) in english)
        {
            // Placeholders stand for names and numbers: the words around them are what must be translated.
            var parts = Regex.Split(text, @"\{\d+\}").Select(p => p.Trim()).Where(p => p.Count(char.IsLetter) >= 3).ToList();
            if (parts.Count == 0)
            {
                continue;
            }

            var pattern = new Regex(string.Join(".{1,200}?", parts.Select(p => (char.IsLetterOrDigit(p[0]) ? @"\b" : "") + Regex.Escape(p) + (char.IsLetterOrDigit(p[^1]) ? @"\b" : ""))), RegexOptions.CultureInvariant);
            var translations = new Dictionary<string, string>();
            if (fr.TryGetValue(key, out var f))
            {
                translations["fr"] = f;
            }

            if (es.TryGetValue(key, out var e))
            {
                translations["es"] = e;
            }

            found.Add((key, text, pattern, translations));
        }

        return found;
    }
}
