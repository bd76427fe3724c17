using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Security;

public sealed partial class HostileInputTests
{
    /// <summary>
    /// JSON with a property given twice is ambiguous; the API refuses it (400). The definition validator must say
    /// so too (200 with valid = false), at the top level and inside a step; saving a draft refuses it with a 400.
    /// </summary>
    [Fact]
    public async Task ADefinitionWithARepeatedPropertyIsJudgedNotFailedOn()
    {
        var admin = Client(factory, ScreeningFactory.Admin);
        var definition = (await admin.Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition.Remove("version");
        definition.Remove("status");
        var text = definition.ToJsonString();
        var bodies = new List<(string Label, string Json)>();
        foreach (var (name, value) in definition.Take(4))
        {
            bodies.Add(($"'{name}' repeated", $"{{{Quote(name)}:{value?.ToJsonString() ?? "null"},{text[1..]}"));
        }

        bodies.Add(("a step's 'type' repeated", text.Replace("\"type\":\"assign\"", "\"type\":\"assign\",\"type\":\"end\"", StringComparison.Ordinal)));
        bodies.Add(("a setting repeated", text.Replace("\"expression\":", "\"expression\":\"'x'\",\"expression\":", StringComparison.Ordinal)));

        var failures = new List<string>();
        var before = await SecuritySnapshot.TakeAsync(factory);
        foreach (var (label, json) in bodies)
        {
            var validation = await admin.Call(HttpMethod.Post, "/api/workflow-definitions/validate", SecurityHttp.JsonText(json));
            if (validation.Code != 200 || validation.Json?["valid"]?.GetValue<bool>() != false)
            {
                failures.Add($"POST /api/workflow-definitions/validate [{label}]: expected 200 with valid=false, got {validation.Describe(160)}");
            }

            var draft = await admin.Call(HttpMethod.Put, "/api/workflow-definitions/bilateral-screening/draft", SecurityHttp.JsonText(json));
            if (draft.Code != 400 || !draft.IsProblem(out _))
            {
                failures.Add($"PUT /api/workflow-definitions/bilateral-screening/draft [{label}]: expected a 400 problem document, got {draft.Describe(160)}");
            }
        }

        output.WriteLine($"Definitions with a repeated property tried: {bodies.Count * 2} requests; mishandled: {failures.Count}.");
        Assert.Equal(before, await SecuritySnapshot.TakeAsync(factory));
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task HostileButWellFormedDefinitionsAreJudgedWithoutBeingRun()
    {
        var admin = Client(factory, ScreeningFactory.Admin);
        var expressions = new Dictionary<string, string>
        {
            ["endless loop"] = "while(true){} 'host'",
            ["endless for"] = "for(;;){} 'host'",
            ["memory"] = "'x'.repeat(2**30).length > 0 ? 'host' : 'host'",
            ["array memory"] = "new Array(1e9).fill(0).length ? 'host' : 'host'",
            ["recursion"] = "(function f(){ return f(); })()",
            ["regex bomb"] = "/^(a+)+$/.test('a'.repeat(40) + 'b') ? 'host' : 'host'",
        };
        var tried = 0;
        foreach (var (name, expression) in expressions)
        {
            var definition = LoopingDefinition(expression);
            var validation = await admin.Call(HttpMethod.Post, "/api/workflow-definitions/validate", SecurityHttp.JsonOf(definition));
            var draft = await admin.Call(HttpMethod.Put, "/api/workflow-definitions/hostile-probe/draft", SecurityHttp.JsonOf(definition));
            tried += 2;

            // Well formed, so valid: the validator parses expressions and never runs them.
            Assert.True(validation.Status == HttpStatusCode.OK && validation.Elapsed < Bound, $"{name}, validate: {validation.Describe()} in {validation.Elapsed}");
            Assert.True(validation.Json!["valid"]!.GetValue<bool>(), $"{name}: {validation.Describe(2000)}");
            Assert.True(draft.Status == HttpStatusCode.OK && draft.Elapsed < Bound, $"{name}, draft: {draft.Describe()} in {draft.Elapsed}");
            var stored = await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == "hostile-probe").ToListAsync());
            var only = Assert.Single(stored);
            Assert.False(only.IsPublished);
            Assert.Equal(expression, JsonNode.Parse(only.Json)!["steps"]![1]!["settings"].S("expression"));
        }

        // A cycle that always loops back (an end exists, so it is well formed) and 400 chained steps.
        foreach (var definition in new[] { CyclingDefinition(), ChainDefinition(400) })
        {
            var validation = await admin.Call(HttpMethod.Post, "/api/workflow-definitions/validate", SecurityHttp.JsonOf(definition));
            var draft = await admin.Call(HttpMethod.Put, "/api/workflow-definitions/hostile-probe/draft", SecurityHttp.JsonOf(definition));
            tried += 2;
            Assert.True(validation.Status == HttpStatusCode.OK && validation.Elapsed < Bound, validation.Describe());
            Assert.True(validation.Json!["valid"]!.GetValue<bool>(), validation.Describe(2000));
            Assert.True(draft.Status == HttpStatusCode.OK && draft.Elapsed < Bound, draft.Describe());
            Assert.Single(await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == "hostile-probe").ToListAsync()));
        }

        var shipped = await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == "bilateral-screening").Select(d => d.Version).ToListAsync());
        Assert.Equal(new[] { 1 }, shipped);
        output.WriteLine($"Well-formed hostile definitions judged: {tried} requests.");
    }

    /// <summary>
    /// The sandbox's limits, end to end: the shipped pipeline is replaced by one whose completeness check never
    /// ends; filing a case must still answer in bounded time, and the host must stay up. A host of its own,
    /// since the published pipeline changes.
    /// </summary>
    [Fact]
    public async Task AFilingUnderAPipelineThatLoopsForeverAnswersInBoundedTime()
    {
        await using var host = new ScreeningFactory();
        var admin = host.As(ScreeningFactory.Admin);
        var definition = (await admin.Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition.Remove("version");
        definition.Remove("status");
        var completeness = definition["steps"]!.AsArray().Single(s => s.S("id") == "automatic-completeness")!;
        completeness["settings"]!["expression"] = "while(true){} 'complete'";
        await admin.Put("/api/workflow-definitions/bilateral-screening/draft", definition).Ok();
        await admin.Post("/api/workflow-definitions/bilateral-screening/publish").Ok();

        var filed = await host.As(ScreeningFactory.Applicant).Call(HttpMethod.Post, "/api/cases", SecurityHttp.JsonOf(Scenario.LowRiskCa()));

        Assert.True(filed.Elapsed < Bound, $"The filing took {filed.Elapsed}.");
        Assert.True(filed.Code < 500, filed.Describe());
        var health = await host.Anonymous().Call(HttpMethod.Get, "/api/calendars");
        Assert.Equal(HttpStatusCode.OK, health.Status);
        if (filed.Status == HttpStatusCode.Created)
        {
            var incidents = await admin.Get("/api/admin/incidents").Ok();
            Assert.Contains(incidents.AsArray(), i => i.S("caseId") == filed.Json!.S("id") && i.S("stepId") == "automatic-completeness");
        }

        output.WriteLine($"Filing under a looping pipeline: {filed.Code} in {filed.Elapsed.TotalMilliseconds:F0} ms.");
    }

    /// <summary>Definitions with something wrong in them, all refused by the validator.</summary>
    private static IEnumerable<(string Label, string Json)> BrokenDefinitions(JsonObject shipped)
    {
        JsonObject Copy() => shipped.DeepClone().AsObject();
        JsonObject Step(JsonObject definition, string id) => definition["steps"]!.AsArray().Single(s => s.S("id") == id)!.AsObject();

        yield return ("not an object: array", "[]");
        yield return ("not an object: string", "\"definition\"");
        yield return ("no steps", Without(shipped, "steps"));
        yield return ("steps is a string", WithRaw(shipped, "steps", "\"many\""));
        yield return ("no start", Without(shipped, "start"));
        yield return ("start names nothing", WithRaw(shipped, "start", "\"nowhere\""));
        yield return ("empty name", WithRaw(shipped, "name", "\"\""));

        var unknownType = Copy();
        Step(unknownType, "prepare")["type"] = "rm-rf";
        yield return ("unknown step type", unknownType.ToJsonString());

        var dangling = Copy();
        Step(dangling, "prepare")["outcomes"]!["done"] = "does-not-exist";
        yield return ("dangling connection", dangling.ToJsonString());

        var syntax = Copy();
        Step(syntax, "automatic-completeness")["settings"]!["expression"] = "((filing.summary";
        yield return ("expression that does not parse", syntax.ToJsonString());

        var tooLong = Copy();
        Step(tooLong, "automatic-completeness")["settings"]!["expression"] = "'complete' + '" + new string('x', 9000) + "'";
        yield return ("expression over 8 KB", tooLong.ToJsonString());

        var loopAndDangling = Copy();
        Step(loopAndDangling, "automatic-completeness")["settings"]!["expression"] = "while(true){} 'complete'";
        Step(loopAndDangling, "prepare")["outcomes"]!["done"] = "nowhere";
        yield return ("endless loop beside a dangling connection", loopAndDangling.ToJsonString());

        var memoryAndUnknown = Copy();
        Step(memoryAndUnknown, "automatic-completeness")["settings"]!["expression"] = "'x'.repeat(2**30) && 'complete'";
        Step(memoryAndUnknown, "triage")["type"] = "mine-bitcoin";
        yield return ("memory-hungry expression beside an unknown step type", memoryAndUnknown.ToJsonString());

        var scriptIds = Copy();
        Step(scriptIds, "prepare")["outcomes"]!["done"] = "<script>alert(1)</script>";
        yield return ("markup as a step reference", scriptIds.ToJsonString());

        yield return ("two steps in a cycle and no end", new JsonObject
        {
            ["key"] = "bilateral-screening",
            ["name"] = "Cycle",
            ["start"] = "a",
            ["steps"] = new JsonArray(
                new JsonObject { ["id"] = "a", ["type"] = "assign", ["settings"] = new JsonObject { ["set"] = new JsonObject { ["x"] = "=1" } }, ["outcomes"] = new JsonObject { ["done"] = "b" } },
                new JsonObject { ["id"] = "b", ["type"] = "assign", ["settings"] = new JsonObject { ["set"] = new JsonObject { ["x"] = "=2" } }, ["outcomes"] = new JsonObject { ["done"] = "a" } }),
        }.ToJsonString());

        yield return ("2,000 steps", ChainDefinition(2000).ToJsonString());
        yield return ("steps nested 1000 deep", WithRaw(shipped, "steps", DeepArray));
        yield return ("variables nested 1000 deep", WithRaw(shipped, "variables", Deep));
        yield return ("duplicate step ids", WithRaw(shipped, "steps", "[" + string.Join(",", Enumerable.Repeat("{\"id\":\"same\",\"type\":\"end\",\"outcomes\":{}}", 3)) + "]"));
    }

    /// <summary>A well-formed definition whose decide step runs the given expression.</summary>
    private static JsonObject LoopingDefinition(string expression) => new()
    {
        ["key"] = "hostile-probe",
        ["name"] = "Hostile probe",
        ["start"] = "prepare",
        ["variables"] = new JsonObject { ["host"] = null },
        ["steps"] = new JsonArray(
            new JsonObject { ["id"] = "prepare", ["type"] = "assign", ["settings"] = new JsonObject { ["set"] = new JsonObject { ["host"] = "='CA'" } }, ["outcomes"] = new JsonObject { ["done"] = "route" } },
            new JsonObject { ["id"] = "route", ["type"] = "decide", ["settings"] = new JsonObject { ["expression"] = expression }, ["outcomes"] = new JsonObject { ["host"] = "finish" } },
            new JsonObject { ["id"] = "finish", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "decided" } }),
    };

    /// <summary>A well-formed definition that loops between two steps until a condition that never comes true.</summary>
    private static JsonObject CyclingDefinition() => new()
    {
        ["key"] = "hostile-probe",
        ["name"] = "Hostile cycle",
        ["start"] = "count",
        ["variables"] = new JsonObject { ["n"] = 0 },
        ["steps"] = new JsonArray(
            new JsonObject { ["id"] = "count", ["type"] = "assign", ["settings"] = new JsonObject { ["set"] = new JsonObject { ["n"] = "=n + 1" } }, ["outcomes"] = new JsonObject { ["done"] = "check" } },
            new JsonObject { ["id"] = "check", ["type"] = "decide", ["settings"] = new JsonObject { ["expression"] = "n < 0 ? 'stop' : 'again'" }, ["outcomes"] = new JsonObject { ["again"] = "count", ["stop"] = "finish" } },
            new JsonObject { ["id"] = "finish", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "decided" } }),
    };

    /// <summary>A chain of assign steps ending in an end step.</summary>
    private static JsonObject ChainDefinition(int steps)
    {
        var list = new JsonArray();
        for (var i = 0; i < steps - 1; i++)
        {
            list.Add(new JsonObject
            {
                ["id"] = $"s{i}",
                ["type"] = "assign",
                ["settings"] = new JsonObject { ["set"] = new JsonObject { ["n"] = $"={i}" } },
                ["outcomes"] = new JsonObject { ["done"] = i == steps - 2 ? "finish" : $"s{i + 1}" },
            });
        }

        list.Add(new JsonObject { ["id"] = "finish", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "decided" } });
        return new JsonObject { ["key"] = "hostile-probe", ["name"] = $"{steps} steps", ["start"] = "s0", ["variables"] = new JsonObject { ["n"] = 0 }, ["steps"] = list };
    }
}
