using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Security;

public sealed partial class HostileInputTests
{
    private const string Raw = "__RAW_JSON__";

    // These stay in one part of the class: MalformedBodies reads Deep and DeepArray, and the order in which the
    // static fields of different parts are initialized is not defined.
    private static readonly string Long = new('A', 100 * 1024);
    private static readonly string Deep = string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1000);
    private static readonly string DeepArray = new string('[', 1000) + new string(']', 1000);

    /// <summary>Bodies no JSON endpoint accepts.</summary>
    private static readonly string[] MalformedBodies =
    [
        "", " ", "{", "}", "[", "{\"a\":", "{\"a\" 1}", "{'a':1}", "{a:1}", "nul", "tru", "NaN", "{\"a\":NaN}", "{\"a\":Infinity}",
        "{\"a\":1,}", "{\"a\":1}{\"b\":2}", "/* comment */ {}", "null", "[]", "42", "\"text\"", "{}", "\u0000", Deep, DeepArray,
        "{\"a\":\"unterminated", "{\"a\":01}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":\"\\x41\"}",
    ];

    /// <summary>Route values that are not ids (escaped into one path segment), and ids of nothing.</summary>
    private static readonly string[] NotIds =
    [
        "not-a-guid", "1", "-1", "' OR '1'='1", "../../etc/passwd", "nul\u0001l", "<script>alert(1)</script>", "🙂", new string('a', 5000),
        "00000000-0000-0000-0000-000000000000", "9b2f6a34-5a53-4c5e-9d2a-3f1e2b7c8d90", "{id}", "null", "1e10", "%00", "İ",
    ];

    private static readonly string[] ControlCharacters = ["\u0000", "\u0007", "\u001b[2J", "\u007f", "\u0085", "bell\u0007here"];

    /// <summary>Values that System.Text.Json will not read into a string.</summary>
    private static readonly string[] RecordWrongStrings = ["12345", "true", "[]", "{\"x\":1}", "1.5"];

    /// <summary>The corpus, generated: every endpoint that takes input, each with the ways input goes wrong.</summary>
    private static List<Probe> Corpus(World world)
    {
        var probes = new ProbeSet();
        AddFilingProbes(probes);
        AddCaseProbes(probes, world);
        AddTaskProbes(probes, world);
        AddNoteProbes(probes, world);
        AddDefinitionProbes(probes, world);
        AddCalendarProbes(probes);
        AddAdministrationProbes(probes, world);
        AddIdentityProbes(probes);
        return probes.All;
    }

    /// <summary>The probes generated so far, and the ways of adding them that every endpoint family shares.</summary>
    private sealed class ProbeSet
    {
        public List<Probe> All { get; } = [];

        public void Add(string endpoint, string caller, HttpMethod method, string url, string? body, string label, Outcome outcome = Outcome.Refused, string mediaType = "application/json", IDictionary<string, string>? headers = null) =>
            All.Add(new Probe($"{endpoint} [{label}]", endpoint, caller, method, url, body is null ? null : Encoding.UTF8.GetBytes(body), mediaType, headers, outcome));

        public void AddBytes(string endpoint, string caller, HttpMethod method, string url, byte[] body, string label, Outcome outcome = Outcome.Refused) =>
            All.Add(new Probe($"{endpoint} [{label}]", endpoint, caller, method, url, body, "application/json", null, outcome));

        // Malformed bodies and invalid UTF-8, against every JSON endpoint.
        public void Malformed(string endpoint, string caller, HttpMethod method, string url, Outcome outcome = Outcome.Refused)
        {
            foreach (var (body, i) in MalformedBodies.Select((b, i) => (b, i)))
            {
                Add(endpoint, caller, method, url, body, $"malformed #{i}: {Shorten(body)}", outcome);
            }

            AddBytes(endpoint, caller, method, url, [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'], "invalid UTF-8", outcome);
            AddBytes(endpoint, caller, method, url, [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0], "UTF-16 bytes", outcome);
        }

        // Truncations of a valid body at evenly spread points, and the valid body with a property repeated.
        public void Truncated(string endpoint, string caller, HttpMethod method, string url, JsonNode valid, int cuts = 10, Outcome outcome = Outcome.Refused)
        {
            var text = valid.ToJsonString();
            // (The validator's repeated properties have a test of their own.)
            foreach (var (name, value) in valid.AsObject().Take(outcome == Outcome.Refused ? 3 : 0))
            {
                var repeated = $"{{{Quote(name)}:{value?.ToJsonString() ?? "null"},{text[1..]}";
                Add(endpoint, caller, method, url, repeated, $"property '{name}' repeated", outcome);
            }

            for (var i = 1; i <= cuts; i++)
            {
                var at = Math.Max(1, text.Length * i / (cuts + 1));
                Add(endpoint, caller, method, url, text[..at], $"truncated at {at}/{text.Length}", outcome);
            }
        }
    }

    /// <summary>The body with the value at a dotted path replaced by raw JSON text (which may be invalid JSON).</summary>
    private static string WithRaw(JsonObject body, string path, string rawJson)
    {
        var copy = body.DeepClone().AsObject();
        var (parent, name) = Navigate(copy, path);
        parent[name] = Raw;
        return copy.ToJsonString().Replace($"\"{Raw}\"", rawJson, StringComparison.Ordinal);
    }

    private static string Without(JsonObject body, string path)
    {
        var copy = body.DeepClone().AsObject();
        var (parent, name) = Navigate(copy, path);
        parent.Remove(name);
        return copy.ToJsonString();
    }

    private static (JsonObject Parent, string Name) Navigate(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        return (parent, parts[^1]);
    }

    private static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string Shorten(string text)
    {
        var visible = new string([.. text.Take(40).Select(c => char.IsControl(c) ? '·' : c)]);
        return text.Length > 40 ? $"{visible}… ({text.Length.ToString(CultureInfo.InvariantCulture)} chars)" : visible;
    }
}
