using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Localization;
using Screening.Web.Identity;

namespace Screening.Web.Cases;

/// <summary>
/// Validates a filing field by field, reporting every bad field by its JSON path, and returns the clean
/// filing the workflow receives (unknown fields are refused, not silently dropped). Messages are in the
/// caller's language.
/// </summary>
public sealed partial class FilingReader(ReferenceData reference, IStringLocalizer<Strings> strings)
{
    public const int MaxText = 200;
    public const int MaxSummary = 10_000;

    private readonly Dictionary<string, List<string>> _errors = [];

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public JsonObject? Read(JsonNode? body)
    {
        _errors.Clear();
        if (body is not JsonObject root)
        {
            Add("$", strings["err:not-object"]);
            return null;
        }

        Unknown(root, "$", "investor", "target", "transaction", "summary");
        var investor = Object(root, "investor", "$");
        var target = Object(root, "target", "$");
        var transaction = Object(root, "transaction", "$");

        var filing = new JsonObject();
        if (investor is not null)
        {
            Unknown(investor, "$.investor", "name", "country", "stateOwned", "stateInfluenced", "ultimateParent");
            filing["investor"] = new JsonObject
            {
                ["name"] = Text(investor, "name", "$.investor", required: true),
                ["country"] = Country(investor, "country", "$.investor"),
                ["stateOwned"] = Bool(investor, "stateOwned", "$.investor"),
                ["stateInfluenced"] = Bool(investor, "stateInfluenced", "$.investor"),
                ["ultimateParent"] = Text(investor, "ultimateParent", "$.investor", required: false),
            };
        }

        if (target is not null)
        {
            Unknown(target, "$.target", "name", "jurisdiction", "assetCountries", "sector", "minerals", "technologies");
            filing["target"] = new JsonObject
            {
                ["name"] = Text(target, "name", "$.target", required: true),
                ["jurisdiction"] = OneOf(target, "jurisdiction", "$.target", Jurisdictions.All, required: true),
                ["assetCountries"] = CodeList(target, "assetCountries", "$.target", ReferenceData.Countries, "err:item-country", required: true),
                ["sector"] = OneOf(target, "sector", "$.target", ReferenceData.Sectors, required: true),
                ["minerals"] = CodeList(target, "minerals", "$.target", reference.MineralCodes, "err:item-mineral", required: false),
                ["technologies"] = CodeList(target, "technologies", "$.target", reference.TechnologyCodes, "err:item-technology", required: false),
            };
        }

        if (transaction is not null)
        {
            Unknown(transaction, "$.transaction", "type", "equityPercent", "value", "currency", "controlAcquired", "plannedClosing");
            filing["transaction"] = new JsonObject
            {
                ["type"] = OneOf(transaction, "type", "$.transaction", ReferenceData.TransactionTypes, required: true),
                ["equityPercent"] = Number(transaction, "equityPercent", "$.transaction", 0, 100, "err:percent"),
                ["value"] = Number(transaction, "value", "$.transaction", 0, 1e15, "err:amount"),
                ["currency"] = Currency(transaction, "currency", "$.transaction"),
                ["controlAcquired"] = Bool(transaction, "controlAcquired", "$.transaction"),
                ["plannedClosing"] = Date(transaction, "plannedClosing", "$.transaction"),
            };
        }

        filing["summary"] = Text(root, "summary", "$", required: false, MaxSummary, multiline: true);
        return _errors.Count == 0 ? filing : null;
    }

    private JsonObject? Object(JsonObject parent, string name, string path)
    {
        var node = parent[name];
        if (node is JsonObject obj)
        {
            return obj;
        }

        Add($"{path}.{name}", node is null ? strings["err:required-object", name] : strings["err:object", name]);
        return null;
    }

    private void Unknown(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                Add($"{path}.{Safe(key)}", strings["err:unknown-field", Safe(key)]);
            }
        }
    }

    private string? Text(JsonObject obj, string name, string parent, bool required, int max = MaxText, bool multiline = false)
    {
        var path = $"{parent}.{name}";
        var node = obj[name];
        if (node is null)
        {
            if (required)
            {
                Add(path, strings["err:required"]);
            }

            return null;
        }

        if (!IsString(node, out var text))
        {
            Add(path, strings["err:text"]);
            return null;
        }

        text = text.Trim();
        if (required && text.Length == 0)
        {
            Add(path, strings["err:required"]);
            return null;
        }

        if (text.Length > max)
        {
            Add(path, strings["err:too-long", max]);
            return null;
        }

        if (text.Any(c => char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t')))
        {
            Add(path, strings["err:control"]);
            return null;
        }

        return text;
    }

    private string? OneOf(JsonObject obj, string name, string parent, IReadOnlyList<string> allowed, bool required)
    {
        var text = Text(obj, name, parent, required);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            Add($"{parent}.{name}", strings["err:one-of", string.Join(", ", allowed)]);
            return null;
        }

        return text;
    }

    private string? Country(JsonObject obj, string name, string parent)
    {
        var text = Text(obj, name, parent, required: true);
        if (text is not null && !ReferenceData.Countries.Contains(text))
        {
            Add($"{parent}.{name}", strings["err:country"]);
            return null;
        }

        return text;
    }

    private string? Currency(JsonObject obj, string name, string parent)
    {
        var text = Text(obj, name, parent, required: true);
        if (text is not null && !ReferenceData.Currencies.Contains(text))
        {
            Add($"{parent}.{name}", strings["err:currency"]);
            return null;
        }

        return text;
    }

    private JsonArray? CodeList(JsonObject obj, string name, string parent, IReadOnlySet<string> allowed, string what, bool required)
    {
        var path = $"{parent}.{name}";
        var node = obj[name];
        if (node is null)
        {
            if (required)
            {
                Add(path, strings["err:required"]);
                return null;
            }

            return [];
        }

        if (node is not JsonArray array)
        {
            Add(path, strings["err:list"]);
            return null;
        }

        if (array.Count > 50)
        {
            Add(path, strings["err:list-max"]);
            return null;
        }

        if (required && array.Count == 0)
        {
            Add(path, strings["err:at-least-one"]);
            return null;
        }

        var result = new JsonArray();
        var ok = true;
        for (var i = 0; i < array.Count; i++)
        {
            if (!IsString(array[i], out var code) || !allowed.Contains(code))
            {
                Add($"{path}[{i}]", strings[what]);
                ok = false;
            }
            else if (result.Any(r => r!.GetValue<string>() == code))
            {
                Add($"{path}[{i}]", strings["err:twice"]);
                ok = false;
            }
            else
            {
                result.Add(code);
            }
        }

        return ok ? result : null;
    }

    private bool? Bool(JsonObject obj, string name, string parent)
    {
        var node = obj[name];
        if (node is null)
        {
            return false;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Add($"{parent}.{name}", strings["err:bool"]);
        return null;
    }

    private double? Number(JsonObject obj, string name, string parent, double min, double max, string what)
    {
        var path = $"{parent}.{name}";
        var node = obj[name];
        if (node is null)
        {
            Add(path, strings["err:required"]);
            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<double>(out var number)
            || double.IsNaN(number) || double.IsInfinity(number))
        {
            Add(path, strings["err:number"]);
            return null;
        }

        if (number < min || number > max)
        {
            Add(path, strings[what]);
            return null;
        }

        return number;
    }

    private string? Date(JsonObject obj, string name, string parent)
    {
        var text = Text(obj, name, parent, required: true);
        if (text is not null && !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            Add($"{parent}.{name}", strings["err:date"]);
            return null;
        }

        return text;
    }

    private static bool IsString(JsonNode? node, out string text)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            text = value.GetValue<string>();
            return true;
        }

        text = string.Empty;
        return false;
    }

    private void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        list.Add(message);
    }

    // A name is echoed back in the error only when it is short, printable text that JSON can carry.
    private static string Safe(string key) => key.Length <= 64 && !key.Any(c => char.IsControl(c) || char.IsSurrogate(c)) ? key : "(field)";
}
