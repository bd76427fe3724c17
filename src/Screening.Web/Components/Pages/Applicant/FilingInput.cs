using System.Globalization;
using System.Text.Json.Nodes;

namespace Screening.Web.Components.Pages.Applicant;

/// <summary>What the filing form posts: every step's answers (decision 0024), the step it was posted from and the button pressed.</summary>
internal sealed class FilingInput
{
    // One token per rendering of the form: a double submission returns the first case.
    public string Token { get; set; } = Guid.NewGuid().ToString("N");

    public string? InvestorName { get; set; }

    public string? InvestorCountry { get; set; }

    public bool StateOwned { get; set; }

    public bool StateInfluenced { get; set; }

    public string? UltimateParent { get; set; }

    public string? TargetName { get; set; }

    public string? Jurisdiction { get; set; }

    public string? Sector { get; set; }

    public string? Type { get; set; }

    public string? EquityPercent { get; set; }

    public string? Value { get; set; }

    public string? Currency { get; set; }

    public bool ControlAcquired { get; set; }

    /// <summary>The planned closing date in three parts, as typed: day, month (1 to 12, from a list), year.</summary>
    public string? ClosingDay { get; set; }

    public string? ClosingMonth { get; set; }

    public string? ClosingYear { get; set; }

    /// <summary>Some part of the closing date is given.</summary>
    public bool HasClosing => !string.IsNullOrWhiteSpace(ClosingDay) || !string.IsNullOrWhiteSpace(ClosingMonth) || !string.IsNullOrWhiteSpace(ClosingYear);

    /// <summary>The closing date the three parts make, or null when they make none (a part missing, 31 in a 30-day month).</summary>
    public DateOnly? PlannedClosing =>
        int.TryParse(ClosingDay, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
        && int.TryParse(ClosingMonth, NumberStyles.None, CultureInfo.InvariantCulture, out var month)
        && int.TryParse(ClosingYear, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
        && year is >= 1 and <= 9999 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;

    public string? Summary { get; set; }

    /// <summary>The step the form was posted from.</summary>
    public int Step { get; set; } = 1;

    /// <summary>The applicant is changing an answer from the check of the answers.</summary>
    public bool Returning { get; set; }

    /// <summary>The button pressed: <c>continue</c>, <c>back</c>, <c>change:</c> and a field's path, or <c>send</c>.</summary>
    public string? Action { get; set; }

    public JsonObject ToFiling(IEnumerable<string> assetCountries, IEnumerable<string> minerals, IEnumerable<string> technologies) => new()
    {
        ["investor"] = new JsonObject
        {
            ["name"] = InvestorName,
            ["country"] = InvestorCountry?.Trim().ToUpperInvariant(),
            ["stateOwned"] = StateOwned,
            ["stateInfluenced"] = StateInfluenced,
            ["ultimateParent"] = string.IsNullOrWhiteSpace(UltimateParent) ? null : UltimateParent,
        },
        ["target"] = new JsonObject
        {
            ["name"] = TargetName,
            ["jurisdiction"] = Empty(Jurisdiction),
            ["assetCountries"] = new JsonArray([.. assetCountries.Select(c => (JsonNode)c)]),
            ["sector"] = Empty(Sector),
            ["minerals"] = new JsonArray([.. minerals.Select(m => (JsonNode)m)]),
            ["technologies"] = new JsonArray([.. technologies.Select(t => (JsonNode)t)]),
        },
        ["transaction"] = new JsonObject
        {
            ["type"] = Empty(Type),
            ["equityPercent"] = Number(EquityPercent),
            ["value"] = Number(Value),
            ["currency"] = Currency?.Trim().ToUpperInvariant(),
            ["controlAcquired"] = ControlAcquired,
            ["plannedClosing"] = PlannedClosing?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        },
        ["summary"] = string.IsNullOrWhiteSpace(Summary) ? null : Summary,
    };

    private static string? Empty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    // Numbers typed in any of the three languages (1 234,5 or 1,234.5); text that is not a number
    // goes to the server as text, which reports it next to the field.
    private static JsonNode? Number(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var cleaned = text.Replace(" ", "").Replace("\u00a0", "").Replace("\u202f", "");
        if (double.TryParse(cleaned, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.CurrentCulture, out var value)
            || double.TryParse(cleaned, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out value))
        {
            return JsonValue.Create(value);
        }

        return JsonValue.Create(text);
    }

    /// <summary>A field the filing leaves out or empty, by its path (<c>$.target.minerals</c>): what the completeness rules ask for.</summary>
    public static bool IsMissing(JsonObject filing, string path)
    {
        JsonNode? node = filing;
        foreach (var part in path[2..].Split('.'))
        {
            node = node?[part];
        }

        return node switch
        {
            null => true,
            JsonArray list => list.Count == 0,
            JsonValue value when value.TryGetValue<string>(out var text) => string.IsNullOrWhiteSpace(text),
            _ => false,
        };
    }
}
