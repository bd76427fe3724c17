using System.Net;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// Filings generated at random (valid ones, and each mutated in one way a client gets wrong) sent to the host: no
/// input is a 5xx; every 4xx is a problem document with type, title and status, and a 400 lists its errors by JSON
/// path; a valid filing is 201 and reads back as sent; a refused one files nothing.
/// </summary>
public sealed class FilingPropertyTests(ScreeningFactory factory, ITestOutputHelper output) : IClassFixture<ScreeningFactory>
{
    private const int Samples = 400;

    [Fact]
    public async Task GeneratedFilingsAreFiledAndReadBackAsSentOrRefusedWithAProblemThatChangesNothing()
    {
        var reference = JsonNode.Parse(await (await factory.Anonymous().GetAsync("/api/reference-data")).Content.ReadAsStringAsync())!;
        string[] Codes(string list) => [.. reference[list]!.AsArray().Select(c => c is JsonObject o ? o["code"]!.GetValue<string>() : c!.GetValue<string>())];
        var codes = new ReferenceCodes(Codes("countries"), Codes("minerals"), Codes("technologies"), Codes("sectors"), Codes("transactionTypes"), Codes("currencies"));

        var applicant = factory.As(ScreeningFactory.Applicant);
        var valid = ValidFiling(codes).Select(f => new Sample("valid", f.ToJsonString(), f));
        var samples = Gen.Frequency((1, valid), (3, ValidFiling(codes).SelectMany(f => Mutated(f, codes))));
        var tally = new Dictionary<string, int>(StringComparer.Ordinal);

        await samples.SampleAsync(async sample =>
        {
            var before = await CountCasesAsync();
            var response = await applicant.Raw(HttpMethod.Post, "/api/cases", sample.Body);
            var after = await CountCasesAsync();
            var code = (int)response.Status;
            lock (tally)
            {
                tally[$"{sample.Kind} -> {code}"] = tally.GetValueOrDefault($"{sample.Kind} -> {code}") + 1;
            }

            Assert.True(code < 500, $"{sample.Kind}: {code} {response.Text}");
            if (sample.Filing is { } filing)
            {
                Assert.True(response.Status == HttpStatusCode.Created, $"{sample.Kind}: {code} {response.Text}");
                Assert.Equal(before + 1, after);
                var id = response.Json!["id"]!.GetValue<string>();
                Assert.Equal($"/api/cases/{id}", response.Header("Location"));
                var read = await applicant.Raw(HttpMethod.Get, $"/api/cases/{id}");
                Assert.Equal(HttpStatusCode.OK, read.Status);
                Assert.True(JsonNode.DeepEquals(filing, read.Json!["filing"]), $"sent {filing.ToJsonString()}\nread {read.Json!["filing"]?.ToJsonString()}");
                return;
            }

            Assert.True(code is >= 400 and < 500, $"{sample.Kind} was accepted: {code} {response.Text}");
            Assert.Equal(before, after);
            Assert.Equal("application/problem+json", response.MediaType);
            var problem = response.Json!;
            Assert.StartsWith("https://", problem["type"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(problem["title"]?.GetValue<string>()));
            Assert.Equal(code, problem["status"]!.GetValue<int>());
            if (code == 400)
            {
                var errors = problem["errors"]!.AsObject();
                Assert.NotEmpty(errors);
                Assert.All(errors, e =>
                {
                    Assert.StartsWith("$", e.Key, StringComparison.Ordinal);
                    Assert.NotEmpty(e.Value!.AsArray().Select(m => m!.GetValue<string>()));
                });
                if (sample.Path is { } path)
                {
                    Assert.True(errors.Any(e => e.Key == path || e.Key.StartsWith(path + "[", StringComparison.Ordinal) || e.Key.StartsWith(path + ".", StringComparison.Ordinal)),
                        $"{sample.Kind}: no error at {path} in {problem.ToJsonString()}");
                }
            }
        }, iter: Samples, threads: 1, print: s => $"{s.Kind}: {s.Body[..Math.Min(s.Body.Length, 400)]}");

        foreach (var (outcome, count) in tally.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{count,4}  {outcome}");
        }

        Assert.Equal(Samples, tally.Values.Sum());
        Assert.Contains(tally.Keys, k => k.StartsWith("valid -> 201", StringComparison.Ordinal));
    }

    private Task<int> CountCasesAsync() => factory.QueryAsync(db => db.Cases.CountAsync());

    private sealed record ReferenceCodes(string[] Countries, string[] Minerals, string[] Technologies, string[] Sectors, string[] TransactionTypes, string[] Currencies);

    /// <summary>A body to send; <see cref="Filing"/> is set when it is valid, <see cref="Path"/> when one field is to blame.</summary>
    private sealed record Sample(string Kind, string Body, JsonObject? Filing, string? Path = null);

    private static readonly Gen<string> Words = Gen.Char['a', 'z'].Array[1, 12].Select(c => new string(c))
        .Array[1, 5].Select(w => string.Join(' ', w)).Select(s => char.ToUpperInvariant(s[0]) + s[1..]);

    private static Gen<JsonArray> Subset(string[] codes, int min, int max) =>
        Gen.Int[0, codes.Length - 1].ArrayUnique[min, max].Select(ix => new JsonArray([.. ix.Select(i => (JsonNode)JsonValue.Create(codes[i]))]));

    /// <summary>A filing every field of which is valid and already in the form the host keeps (so it reads back equal).</summary>
    private static Gen<JsonObject> ValidFiling(ReferenceCodes codes) =>
        Gen.Select(
            Gen.Select(Words, Gen.OneOf(codes.Countries), Gen.Bool, Gen.Bool, Words),
            Gen.Select(Words, Gen.OneOf("CA", "MX"), Subset(codes.Countries, 1, 4), Gen.OneOf(codes.Sectors), Subset(codes.Minerals, 0, 3), Subset(codes.Technologies, 0, 2)),
            Gen.Select(Gen.OneOf(codes.TransactionTypes), Gen.Int[0, 1000], Gen.Long[0, 50_000_000_000], Gen.OneOf(codes.Currencies), Gen.Bool, Gen.DateOnly[new DateOnly(2027, 1, 1), new DateOnly(2030, 12, 31)]),
            Words,
            (investor, target, transaction, summary) => new JsonObject
            {
                ["investor"] = new JsonObject { ["name"] = investor.Item1, ["country"] = investor.Item2, ["stateOwned"] = investor.Item3, ["stateInfluenced"] = investor.Item4, ["ultimateParent"] = investor.Item5 },
                ["target"] = new JsonObject { ["name"] = target.Item1, ["jurisdiction"] = target.Item2, ["assetCountries"] = target.Item3, ["sector"] = target.Item4, ["minerals"] = target.Item5, ["technologies"] = target.Item6 },
                ["transaction"] = new JsonObject
                {
                    ["type"] = transaction.Item1,
                    ["equityPercent"] = transaction.Item2 / 10.0,
                    ["value"] = transaction.Item3,
                    ["currency"] = transaction.Item4,
                    ["controlAcquired"] = transaction.Item5,
                    ["plannedClosing"] = transaction.Item6.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                },
                ["summary"] = summary,
            });

    private static readonly string[] RequiredPaths =
        ["investor", "target", "transaction", "investor.name", "investor.country", "target.name", "target.jurisdiction", "target.assetCountries", "target.sector",
         "transaction.type", "transaction.equityPercent", "transaction.value", "transaction.currency", "transaction.plannedClosing"];

    private static readonly string[] AllPaths =
        [.. RequiredPaths, "investor.stateOwned", "investor.stateInfluenced", "investor.ultimateParent", "target.minerals", "target.technologies", "transaction.controlAcquired", "summary"];

    /// <summary>One near-miss of a valid filing: a field left out, of the wrong type, out of range, unknown, or a body that is not a filing at all.</summary>
    private static Gen<Sample> Mutated(JsonObject filing, ReferenceCodes codes)
    {
        Sample Set(string kind, string path, JsonNode? value)
        {
            var copy = filing.DeepClone().AsObject();
            var (parent, name) = Locate(copy, path);
            parent[name] = value;
            return new Sample(kind, copy.ToJsonString(), null, "$." + path);
        }

        return Gen.OneOf<Sample>(
            Gen.OneOf(RequiredPaths).Select(path =>
            {
                var copy = filing.DeepClone().AsObject();
                var (parent, name) = Locate(copy, path);
                parent.Remove(name);
                return new Sample("required field left out", copy.ToJsonString(), null, "$." + path);
            }),
            Gen.Select(Gen.OneOf(AllPaths), Gen.Int[0, 4], (path, kind) => Set("wrong type", path, kind switch
            {
                0 => JsonValue.Create(42),
                1 => JsonValue.Create("text"),
                2 => new JsonObject { ["nested"] = true },
                3 => new JsonArray(1, 2),
                _ => JsonValue.Create(true),
            })).Where(s => !IsRightType(s)),
            Gen.OneOf("investor.name", "target.name", "investor.ultimateParent").Select(path => Set("text over 200", path, new string('x', 201))),
            Gen.Select(Gen.OneOf("investor.name", "target.name"), Gen.Char['\u0000', '\u001f'], (path, c) => Set("control character", path, $"Acme{c}Corp")),
            Gen.OneOf(-0.1, 100.5, -1e9).Select(v => Set("percent out of range", "transaction.equityPercent", v)),
            Gen.OneOf(-1.0, 1e16).Select(v => Set("value out of range", "transaction.value", v)),
            Gen.OneOf("XYZ", "cad", "EURO", "").Select(v => Set("unknown currency", "transaction.currency", v)),
            Gen.OneOf("ZZ", "ca", "USA", "").Select(v => Set("unknown country", "investor.country", v)),
            Gen.OneOf("US", "FR").Select(v => Set("jurisdiction not screened", "target.jurisdiction", v)),
            Gen.OneOf("unobtainium", "").Select(v => Set("unknown mineral", "target.minerals", new JsonArray(v))),
            Gen.OneOf(codes.Countries).Select(c => Set("country twice", "target.assetCountries", new JsonArray(c, c))),
            Gen.Const(0).Select(_ => Set("no asset country", "target.assetCountries", new JsonArray())),
            Gen.OneOf("2027-13-01", "2027-02-30", "next week", "01/03/2027").Select(v => Set("not a date", "transaction.plannedClosing", v)),
            Gen.OneOf("$", "investor", "target", "transaction").Select(at => at == "$" ? Set("unknown field", "extra", "x") : Set("unknown field", at + ".extra", "x")),
            Gen.OneOf("[]", "\"filing\"", "42", "null", "true").Select(body => new Sample("not an object", body, null, "$")),
            Gen.Int[1, 200].Select(n => new Sample("truncated JSON", filing.ToJsonString()[..Math.Min(n, filing.ToJsonString().Length - 1)], null)),
            Gen.Const(0).Select(_ => new Sample("nested too deep", new string('[', 64) + new string(']', 64), null)));
    }

    private static bool IsRightType(Sample sample)
    {
        // A boolean put where a boolean goes, a number where a number goes, or text where text goes, is no mutation.
        var node = JsonNode.Parse(sample.Body)!;
        var path = sample.Path![2..];
        var (parent, name) = Locate(node.AsObject(), path);
        var value = parent[name];
        var booleans = path is "investor.stateOwned" or "investor.stateInfluenced" or "transaction.controlAcquired";
        var texts = path is "investor.ultimateParent" or "summary" or "investor.name" or "target.name";
        var numbers = path is "transaction.equityPercent" or "transaction.value";
        return (numbers && value is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number)
            || (booleans && value is JsonValue b && b.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            || (texts && value is JsonValue t && t.GetValueKind() == System.Text.Json.JsonValueKind.String);
    }

    private static (JsonObject Parent, string Name) Locate(JsonObject root, string path)
    {
        var parts = path.Split('.');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent[part]!.AsObject();
        }

        return (parent, parts[^1]);
    }
}
