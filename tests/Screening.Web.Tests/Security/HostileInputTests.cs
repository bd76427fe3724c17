using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Security;

/// <summary>
/// A generated corpus of hostile input against every endpoint that takes input: malformed and truncated JSON,
/// wrong types, missing and extra fields, numbers out of range, unknown codes, 100 KB strings, JSON nested
/// 1000 deep, control characters, markup, hostile workflow definitions and route values that are not ids.
/// Each is refused with a 4xx problem document (never a 5xx), quickly, and changes nothing that is stored.
/// Input that is in fact valid (names in any script, markup as text) is stored exactly as sent.
/// </summary>
public sealed class HostileInputTests(ScreeningFactory factory, KestrelScreeningFactory kestrel, ITestOutputHelper output)
    : IClassFixture<ScreeningFactory>, IClassFixture<KestrelScreeningFactory>
{
    private const string Raw = "__RAW_JSON__";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
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

    private readonly Dictionary<string, HttpClient> _clients = [];

    private enum Outcome
    {
        /// <summary>A 4xx problem document.</summary>
        Refused,

        /// <summary>The definition validator's answer: 200 with valid = false.</summary>
        NotValid,
    }

    [Fact]
    public async Task EveryHostileInputIsRefusedWithAProblemDocumentQuicklyAndChangesNothing()
    {
        var world = await PrepareAsync(factory);
        var probes = Corpus(world);
        var failures = new List<string>();
        var last = await SecuritySnapshot.TakeAsync(factory);
        var slowest = TimeSpan.Zero;
        var byStatus = new SortedDictionary<int, int>();

        foreach (var probe in probes)
        {
            var response = await Client(factory, probe.Caller).Call(probe.Method, probe.Url, probe.Content(), probe.Headers);
            slowest = response.Elapsed > slowest ? response.Elapsed : slowest;
            byStatus[response.Code] = byStatus.GetValueOrDefault(response.Code) + 1;
            var problem = Judge(probe, response);
            if (problem is not null)
            {
                failures.Add(problem);
            }

            var now = await SecuritySnapshot.TakeAsync(factory);
            if (now != last)
            {
                failures.Add($"{probe.Name}: changed stored state ({response.Code}): {last} -> {now}");
                last = now;
            }
        }

        output.WriteLine($"Hostile inputs tried: {probes.Count} over {probes.Select(p => p.Endpoint).Distinct().Count()} endpoints; slowest {slowest.TotalMilliseconds:F0} ms.");
        output.WriteLine("Statuses: " + string.Join(", ", byStatus.Select(s => $"{s.Key} x{s.Value}")));
        Assert.True(probes.Count >= 500, $"Only {probes.Count} hostile inputs were generated.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} hostile inputs were mishandled:\n" + string.Join("\n", failures.Take(80)));
        var verify = await Client(factory, ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    /// <summary>
    /// JSON may escape a UTF-16 surrogate without its pair ("\uD800"); such text is not a string and must be
    /// refused like any other bad field. The endpoints that read their body as a JSON document (filings,
    /// definitions) are probed field by field; the record-bound ones are covered by the corpus above.
    /// </summary>
    [Fact]
    public async Task UnpairedSurrogatesInAFilingOrADefinitionAreRefusedNotFailedOn()
    {
        var filing = Scenario.LowRiskCa();
        var definition = (await Client(factory, ScreeningFactory.Admin).Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition.Remove("version");
        definition.Remove("status");
        var probes = new List<(string Name, string Caller, HttpMethod Method, string Url, string Body)>();
        foreach (var escape in new[] { "\\uD800", "\\uDC00", "x\\uDBFFy" })
        {
            foreach (var path in new[] { "investor.name", "investor.country", "investor.ultimateParent", "target.name", "target.jurisdiction", "target.sector", "transaction.type", "transaction.currency", "transaction.plannedClosing", "summary" })
            {
                probes.Add(($"filing {path} = \"{escape}\"", ScreeningFactory.Applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, $"\"{escape}\"")));
            }

            probes.Add(($"filing target.assetCountries = [\"{escape}\"]", ScreeningFactory.Applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "target.assetCountries", $"[\"{escape}\"]")));
            probes.Add(($"filing field named \"{escape}\"", ScreeningFactory.Applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "investor.extra", "1").Replace("\"extra\"", $"\"{escape}\"", StringComparison.Ordinal)));
            foreach (var path in new[] { "name", "description", "start" })
            {
                probes.Add(($"draft {path} = \"{escape}\"", ScreeningFactory.Admin, HttpMethod.Put, "/api/workflow-definitions/bilateral-screening/draft", WithRaw(definition, path, $"\"{escape}\"")));
                probes.Add(($"validate {path} = \"{escape}\"", ScreeningFactory.Admin, HttpMethod.Post, "/api/workflow-definitions/validate", WithRaw(definition, path, $"\"{escape}\"")));
            }
        }

        var failures = new List<string>();
        var before = await SecuritySnapshot.TakeAsync(factory);
        foreach (var (name, caller, method, url, body) in probes)
        {
            var response = await Client(factory, caller).Call(method, url, SecurityHttp.JsonText(body));
            // The validator answers 200 with valid = false; everything else refuses with a 400 problem document.
            var refused = url.EndsWith("/validate", StringComparison.Ordinal)
                ? response.Code == 200 && response.Json?["valid"]?.GetValue<bool>() == false
                : response.Code == 400 && response.IsProblem(out _);
            if (!refused || response.Elapsed >= Bound)
            {
                failures.Add($"{method} {url} [{name}]: expected it refused, got {response.Describe(160)}");
            }
        }

        output.WriteLine($"Unpaired surrogates tried: {probes.Count}; mishandled: {failures.Count}.");
        Assert.Equal(before, await SecuritySnapshot.TakeAsync(factory));
        Assert.True(failures.Count == 0, $"{failures.Count} of {probes.Count} unpaired surrogates were not refused:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// An email is at most 254 characters (RFC 5321) and the schema gives AspNetUsers.Email 256 and DisplayName 200
    /// characters, which SQLite does not enforce (and PostgreSQL would enforce with an error, a 500). The host must
    /// refuse longer values with a 400 before they reach the database.
    /// </summary>
    [Fact]
    public async Task OverlongEmailsAndDisplayNamesAreRefusedBeforeTheyReachTheDatabase()
    {
        var longEmail = new string('a', 64) + "@" + string.Join(".", Enumerable.Repeat(new string('b', 60), 4)) + ".example";
        var hugeEmail = new string('a', 100 * 1024) + "@example.com";
        JsonObject Official(string email, string displayName) => new()
        {
            ["email"] = email,
            ["password"] = "Overlong-Official-2027!",
            ["displayName"] = displayName,
            ["role"] = "officer",
            ["jurisdiction"] = "CA",
        };
        var probes = new (string Label, string Caller, string Url, JsonObject Body)[]
        {
            ($"register with an email of {longEmail.Length} characters", string.Empty, "/api/auth/register", new JsonObject { ["email"] = longEmail, ["password"] = "Overlong-Applicant-2027!" }),
            ("register with an email of 100 KB", string.Empty, "/api/auth/register", new JsonObject { ["email"] = hugeEmail, ["password"] = "Overlong-Applicant-2027!" }),
            ($"create an official with an email of {longEmail.Length} characters", ScreeningFactory.Admin, "/api/admin/users", Official("x" + longEmail, "Overlong")),
            ("create an official with an email of 100 KB", ScreeningFactory.Admin, "/api/admin/users", Official("x" + hugeEmail, "Overlong")),
            ("create an official with a display name of 100 KB", ScreeningFactory.Admin, "/api/admin/users", Official($"display-{Guid.NewGuid():N}@screening.example", Long)),
        };

        var failures = new List<string>();
        foreach (var (label, caller, url, body) in probes)
        {
            var users = await factory.QueryAsync(db => db.Users.CountAsync());
            var response = await Client(factory, caller).Call(HttpMethod.Post, url, SecurityHttp.JsonOf(body));
            var stored = await factory.QueryAsync(db => db.Users.CountAsync()) - users;
            if (response.Code != 400 || !response.IsProblem(out _) || stored != 0)
            {
                failures.Add($"POST {url} [{label}]: expected a 400 problem document and no account, got {response.Describe(120)} and {stored} new account(s)");
            }
        }

        output.WriteLine($"Overlong account fields tried: {probes.Length}; accepted: {failures.Count}.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

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
    public async Task NamesInAnyScriptAndMarkupAsTextAreStoredExactlyAsSent()
    {
        string[] names =
        [
            "شركة الاستثمار الشمالية", "北京矿业投资有限公司", "Капитал Север", "🚀 Lithium Capital 💎", "\u200Fشركة\u200F Mixed \u200EEnglish\u200E",
            "Zoë Ångström–Müller ÆØÅ", "👩‍👩‍👧 Family Office", "<script>alert('x')</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE Cases; --",
            "Ｆｕｌｌｗｉｄｔｈ　Ｃａｐｉｔａｌ", "e\u0301 combining accent",
        ];
        var applicant = Client(factory, ScreeningFactory.Applicant);
        var tried = 0;
        foreach (var name in names)
        {
            var filing = Scenario.LowRiskCa();
            filing["investor"]!["name"] = name;
            filing["summary"] = $"Line one: {name}\nLine two: 中文 العربية\tend";
            var cases = await factory.QueryAsync(db => db.Cases.CountAsync());

            var response = await applicant.Call(HttpMethod.Post, "/api/cases", SecurityHttp.JsonOf(filing));
            tried++;

            Assert.True(response.Status == HttpStatusCode.Created && response.Elapsed < Bound, $"{name}: {response.Describe()}");
            var id = Guid.Parse(response.Json!.S("id"));
            var stored = await factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == id));
            Assert.Equal(name, stored.InvestorName);
            Assert.Equal(name, JsonNode.Parse(stored.FilingJson)!["investor"].S("name"));
            Assert.Equal(filing["summary"]!.GetValue<string>(), JsonNode.Parse(stored.FilingJson).S("summary"));
            Assert.Equal(cases + 1, await factory.QueryAsync(db => db.Cases.CountAsync()));
            var read = await applicant.Call(HttpMethod.Get, $"/api/cases/{id}");
            Assert.Equal(name, read.Json!["filing"]!["investor"].S("name"));
        }

        var mainCase = (await Client(factory, ScreeningFactory.Applicant).Get("/api/cases?pageSize=1").Ok())[0].S("id");
        foreach (var text in names.Take(6))
        {
            var note = await Client(factory, ScreeningFactory.OfficerCa).Call(HttpMethod.Post, $"/api/cases/{mainCase}/notes", SecurityHttp.JsonOf(new JsonObject { ["text"] = text, ["restricted"] = true }));
            tried++;
            Assert.True(note.Status == HttpStatusCode.Created, note.Describe());
            var noteId = Guid.Parse(note.Json!.S("id"));
            Assert.Equal(text, (await factory.QueryAsync(db => db.Notes.AsNoTracking().SingleAsync(n => n.Id == noteId))).Text);
        }

        const string calendarName = "Calendario 🇲🇽 تقويم 日历 <b>bold</b>";
        var calendar = await Client(factory, ScreeningFactory.Admin).Call(HttpMethod.Put, "/api/calendars/ZZ",
            SecurityHttp.JsonOf(new JsonObject { ["name"] = calendarName, ["weekend"] = new JsonArray(5, 6), ["holidays"] = new JsonArray("2027-03-21") }));
        tried++;
        Assert.True(calendar.Status == HttpStatusCode.OK, calendar.Describe());
        Assert.Equal(calendarName, await factory.QueryAsync(db => db.Calendars.Where(c => c.Code == "ZZ").Select(c => c.Name).SingleAsync()));

        const string displayName = "Zoë Ångström-李 👩🏽‍💼 \u200Fمسؤول\u200F";
        var official = await Client(factory, ScreeningFactory.Admin).Call(HttpMethod.Post, "/api/admin/users", SecurityHttp.JsonOf(new JsonObject
        {
            ["email"] = $"unicode-{Guid.NewGuid():N}@screening.example",
            ["password"] = "Unicode-Official-2027!",
            ["displayName"] = displayName,
            ["role"] = "officer",
            ["jurisdiction"] = "MX",
        }));
        tried++;
        Assert.True(official.Status == HttpStatusCode.Created, official.Describe());
        var officialId = official.Json!.S("id");
        Assert.Equal(displayName, await factory.QueryAsync(db => db.Users.Where(u => u.Id == officialId).Select(u => u.DisplayName).SingleAsync()));

        output.WriteLine($"Valid inputs in mixed scripts and markup stored verbatim: {tried}.");
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

    [Fact]
    public async Task ABodyOverOneMegabyteIsRefusedWith413OnEveryJsonEndpointAndChangesNothing()
    {
        var world = await PrepareAsync(kestrel);
        var big = new string('x', 1_100_000);
        var definition = world.Definition.DeepClone().AsObject();
        definition["description"] = big;
        var calls = new (string Caller, HttpMethod Method, string Url, JsonNode Body)[]
        {
            (ScreeningFactory.Applicant, HttpMethod.Post, "/api/cases", Filing(f => f["summary"] = big)),
            (ScreeningFactory.Applicant, HttpMethod.Post, $"/api/cases/{world.CaseId}/requests/{world.RequestId}/response", new JsonObject { ["answer"] = big }),
            (ScreeningFactory.OfficerCa, HttpMethod.Post, $"/api/cases/{world.CaseId}/notes", new JsonObject { ["text"] = big }),
            (ScreeningFactory.OfficerCa, HttpMethod.Post, $"/api/tasks/{world.TaskId}/complete", new JsonObject { ["outcome"] = "recommend-clear", ["comment"] = big }),
            (ScreeningFactory.OfficerCa, HttpMethod.Post, $"/api/tasks/{world.TaskId}/request-information", new JsonObject { ["question"] = big, ["dueInDays"] = 10 }),
            (ScreeningFactory.Admin, HttpMethod.Put, "/api/workflow-definitions/bilateral-screening/draft", definition),
            (ScreeningFactory.Admin, HttpMethod.Post, "/api/workflow-definitions/validate", definition),
            (ScreeningFactory.Admin, HttpMethod.Put, "/api/calendars/CA", new JsonObject { ["name"] = big, ["holidays"] = new JsonArray() }),
            (ScreeningFactory.Admin, HttpMethod.Post, "/api/admin/clock/advance", new JsonObject { ["days"] = 1, ["padding"] = big }),
            (ScreeningFactory.Admin, HttpMethod.Post, "/api/admin/users", new JsonObject { ["email"] = "big@screening.example", ["password"] = big, ["role"] = "officer", ["jurisdiction"] = "CA" }),
            (ScreeningFactory.Admin, HttpMethod.Put, $"/api/admin/users/{world.UserId}/role", new JsonObject { ["role"] = "officer", ["jurisdiction"] = "CA", ["padding"] = big }),
            (string.Empty, HttpMethod.Post, "/api/auth/login", new JsonObject { ["email"] = "big@example.com", ["password"] = big }),
            (string.Empty, HttpMethod.Post, "/api/auth/register", new JsonObject { ["email"] = "big@example.com", ["password"] = big }),
            (string.Empty, HttpMethod.Post, "/api/auth/refresh", new JsonObject { ["refreshToken"] = big }),
        };

        var failures = new List<string>();
        var before = await SecuritySnapshot.TakeAsync(kestrel);
        foreach (var (caller, method, url, body) in calls)
        {
            var response = await Client(kestrel, caller).Call(method, url, SecurityHttp.JsonOf(body), new Dictionary<string, string> { ["Expect"] = "100-continue" });
            if (response.Status != HttpStatusCode.RequestEntityTooLarge || !response.IsProblem(out _) || response.Elapsed >= Bound)
            {
                failures.Add($"{method} {url}: expected a 413 problem document, got {response.Describe()} in {response.Elapsed}");
            }
        }

        output.WriteLine($"Bodies over 1 MB sent to a real Kestrel server: {calls.Length}.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SecuritySnapshot.TakeAsync(kestrel));
    }

    private static string? Judge(Probe probe, SecurityResponse response)
    {
        if (response.Elapsed >= Bound)
        {
            return $"{probe.Name}: took {response.Elapsed.TotalSeconds:F1} s ({response.Code})";
        }

        if (probe.Outcome == Outcome.NotValid)
        {
            return response.Status == HttpStatusCode.OK && response.Json?["valid"]?.GetValue<bool>() == false
                ? null
                : $"{probe.Name}: expected 200 with valid=false, got {response.Describe()}";
        }

        if (response.Code is < 400 or >= 500)
        {
            return $"{probe.Name}: expected a 4xx, got {response.Describe()}";
        }

        return response.IsProblem(out var why) ? null : $"{probe.Name}: the {response.Code} is not a problem document ({why}): {response.Describe()}";
    }

    private HttpClient Client(ScreeningFactory host, string caller)
    {
        var key = $"{host.GetHashCode()}:{caller}";
        if (!_clients.TryGetValue(key, out var client))
        {
            client = caller.Length == 0 ? host.Anonymous() : host.As(caller);
            _clients[key] = client;
        }

        return client;
    }

    /// <summary>
    /// A certified low-risk Canadian case whose host review the Canadian officer holds and used to send the
    /// applicant a request; a government user to administer; the shipped definition; Canada's calendar.
    /// </summary>
    private static async Task<World> PrepareAsync(ScreeningFactory host)
    {
        var scenario = new Scenario(host);
        var caseId = await scenario.FileAsync(Scenario.LowRiskCa());
        await scenario.CompleteAsync(ScreeningFactory.OfficerCa, caseId, "intake-review", "certify");
        var officer = host.As(ScreeningFactory.OfficerCa);
        var taskId = (await scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "host-review")).S("id");
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();
        var requestId = (await officer.Post($"/api/tasks/{taskId}/request-information", new { question = "Give the share register.", dueInDays = 30 }).Ok()).S("requestId");
        var admin = host.As(ScreeningFactory.Admin);
        var user = await admin.Post("/api/admin/users", new
        {
            email = $"hostile-target-{Guid.NewGuid():N}@screening.example",
            password = "Hostile-Target-2027!",
            role = "officer",
            jurisdiction = "CA",
        }).Ok(HttpStatusCode.Created);
        var adminId = await host.QueryAsync(db => db.Users.Where(u => u.Email == ScreeningFactory.Admin).Select(u => u.Id).SingleAsync());
        var definition = (await admin.Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition.Remove("version");
        definition.Remove("status");
        return new World(caseId, taskId, requestId, user.S("id"), adminId, definition);
    }

    /// <summary>The corpus, generated: every endpoint that takes input, each with the ways input goes wrong.</summary>
    private static List<Probe> Corpus(World world)
    {
        var probes = new List<Probe>();
        var applicant = ScreeningFactory.Applicant;
        var officer = ScreeningFactory.OfficerCa;
        var admin = ScreeningFactory.Admin;
        var anonymous = string.Empty;

        void Add(string endpoint, string caller, HttpMethod method, string url, string? body, string label, Outcome outcome = Outcome.Refused, string mediaType = "application/json", IDictionary<string, string>? headers = null) =>
            probes.Add(new Probe($"{endpoint} [{label}]", endpoint, caller, method, url, body is null ? null : Encoding.UTF8.GetBytes(body), mediaType, headers, outcome));

        void AddBytes(string endpoint, string caller, HttpMethod method, string url, byte[] body, string label, Outcome outcome = Outcome.Refused) =>
            probes.Add(new Probe($"{endpoint} [{label}]", endpoint, caller, method, url, body, "application/json", null, outcome));

        // Malformed bodies and invalid UTF-8, against every JSON endpoint.
        void Malformed(string endpoint, string caller, HttpMethod method, string url, Outcome outcome = Outcome.Refused)
        {
            foreach (var (body, i) in MalformedBodies.Select((b, i) => (b, i)))
            {
                Add(endpoint, caller, method, url, body, $"malformed #{i}: {Shorten(body)}", outcome);
            }

            AddBytes(endpoint, caller, method, url, [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'], "invalid UTF-8", outcome);
            AddBytes(endpoint, caller, method, url, [0xFF, 0xFE, (byte)'{', 0, (byte)'}', 0], "UTF-16 bytes", outcome);
        }

        // Truncations of a valid body at evenly spread points, and the valid body with a property repeated.
        void Truncated(string endpoint, string caller, HttpMethod method, string url, JsonNode valid, int cuts = 10, Outcome outcome = Outcome.Refused)
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

        // ---- POST /api/cases: the filing is read field by field and unknown fields are refused. ----
        const string cases = "POST /api/cases";
        var filing = Scenario.LowRiskCa();
        Malformed(cases, applicant, HttpMethod.Post, "/api/cases");
        Truncated(cases, applicant, HttpMethod.Post, "/api/cases", filing, cuts: 14);
        var kinds = new (string Path, Kind Kind, bool Required)[]
        {
            ("investor", Kind.Object, true), ("target", Kind.Object, true), ("transaction", Kind.Object, true),
            ("investor.name", Kind.String, true), ("investor.country", Kind.String, true), ("investor.stateOwned", Kind.Bool, false),
            ("investor.stateInfluenced", Kind.Bool, false), ("investor.ultimateParent", Kind.String, false), ("target.name", Kind.String, true),
            ("target.jurisdiction", Kind.String, true), ("target.assetCountries", Kind.Array, true), ("target.sector", Kind.String, true),
            ("target.minerals", Kind.Array, false), ("target.technologies", Kind.Array, false), ("transaction.type", Kind.String, true),
            ("transaction.equityPercent", Kind.Number, true), ("transaction.value", Kind.Number, true), ("transaction.currency", Kind.String, true),
            ("transaction.controlAcquired", Kind.Bool, false), ("transaction.plannedClosing", Kind.String, true), ("summary", Kind.String, false),
        };
        foreach (var (path, kind, required) in kinds)
        {
            foreach (var wrong in StrictWrongTypes(kind))
            {
                Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, wrong), $"{path} = {wrong}");
            }

            if (required)
            {
                Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, "null"), $"{path} = null");
                Add(cases, applicant, HttpMethod.Post, "/api/cases", Without(filing, path), $"{path} missing");
            }
        }

        foreach (var parent in new[] { "", "investor", "target", "transaction" })
        {
            foreach (var extra in new[] { "extra", "__proto__", "constructor", "isAdmin" })
            {
                var path = parent.Length == 0 ? extra : $"{parent}.{extra}";
                Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, "true"), $"extra field {path}");
            }
        }

        var filingValues = new (string Path, string Json)[]
        {
            ("transaction.equityPercent", "150"), ("transaction.equityPercent", "-1"), ("transaction.equityPercent", "100.0001"), ("transaction.equityPercent", "1e400"),
            ("transaction.value", "-1"), ("transaction.value", "-0.01"), ("transaction.value", "1e16"), ("transaction.value", "1e308"), ("transaction.value", "-1e400"),
            ("target.jurisdiction", "\"US\""), ("target.jurisdiction", "\"ca\""), ("target.jurisdiction", "\"Canada\""), ("target.jurisdiction", "\"\""),
            ("target.jurisdiction", "\"  \""), ("target.jurisdiction", "\"MXX\""), ("target.jurisdiction", "\"QC\""),
            ("investor.country", "\"XX\""), ("investor.country", "\"USA\""), ("investor.country", "\"us\""), ("investor.country", "\"🇺🇸\""), ("investor.country", "\"\""),
            ("investor.country", "\"C\""), ("investor.country", "\"<script>\""),
            ("target.assetCountries", "[\"ZZ\"]"), ("target.assetCountries", "[\"CA\",\"ca\"]"), ("target.assetCountries", "[\"CA\",\"CA\"]"), ("target.assetCountries", "[]"),
            ("target.assetCountries", "[null]"), ("target.assetCountries", "[1]"), ("target.assetCountries", "[[\"CA\"]]"),
            ("target.assetCountries", "[" + string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"{(char)('A' + (i / 26))}{(char)('A' + (i % 26))}\"")) + "]"),
            ("target.sector", "\"mining-everything\""), ("target.sector", "\"javascript:alert(1)\""), ("transaction.type", "\"hostile-takeover\""),
            ("transaction.currency", "\"cad\""), ("transaction.currency", "\"DOLLAR\""), ("transaction.currency", "\"C$D\""), ("transaction.currency", "\"<b>\""),
            ("target.minerals", "[\"kryptonite\"]"), ("target.minerals", "[\"lithium\",\"lithium\"]"), ("target.technologies", "[\"death-ray\"]"),
            ("transaction.plannedClosing", "\"2027-02-30\""), ("transaction.plannedClosing", "\"tomorrow\""), ("transaction.plannedClosing", "\"01/03/2027\""),
            ("transaction.plannedClosing", "\"2027-3-1\""), ("transaction.plannedClosing", "\"2027-03-01T00:00:00Z\""),
            ("target.jurisdiction", "\"<img src=x onerror=alert(1)>\""), ("investor.name", "\"\""), ("investor.name", "\"   \""), ("target.name", "\"\\t\""),
            ("investor.name", Deep), ("summary", DeepArray),
        };
        foreach (var (path, json) in filingValues)
        {
            Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, json), $"{path} = {Shorten(json)}");
        }

        foreach (var path in new[] { "investor.name", "investor.ultimateParent", "target.name", "summary", "investor.country", "target.jurisdiction", "transaction.currency", "transaction.plannedClosing", "target.sector" })
        {
            Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, Quote(Long)), $"{path} = 100 KB");
        }

        Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "target.minerals", $"[{Quote(Long)}]"), "target.minerals = [100 KB]");
        foreach (var path in new[] { "investor.name", "target.name", "investor.ultimateParent", "summary" })
        {
            foreach (var control in ControlCharacters.Where(c => path != "summary" || c != "\u0085"))
            {
                Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, Quote($"Boreal{control}Copper")), $"{path} with U+{(int)control[^1]:X4}");
            }
        }

        Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "investor.name", Quote("Line\nBreak")), "investor.name with a line break");
        Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "investor", "{\"name\":\"A\",\"name\":\"B\",\"country\":\"US\"}"), "investor.name repeated");
        Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "transaction.equityPercent", "5,\"equityPercent\":150"), "transaction.equityPercent repeated");
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "text/html", "application/xml" })
        {
            Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), $"content type {type}", mediaType: type);
        }

        Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key of 201 characters", headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 201) });
        Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key of 5000 characters", headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 5000) });
        Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key with a tab", headers: new Dictionary<string, string> { ["Idempotency-Key"] = "key\twith-tab" });

        // ---- GET /api/cases paging ----
        foreach (var query in new[] { "page=0", "page=-1", "pageSize=0", "pageSize=101", "page=abc", "pageSize=1e3", "page=99999999999", "pageSize=-5", "page=1.5" })
        {
            Add("GET /api/cases", applicant, HttpMethod.Get, $"/api/cases?{query}", null, query);
        }

        // ---- POST /api/cases/{id}/requests/{requestId}/response ----
        const string answer = "POST /api/cases/{id}/requests/{requestId}/response";
        var answerUrl = $"/api/cases/{world.CaseId}/requests/{world.RequestId}/response";
        Malformed(answer, applicant, HttpMethod.Post, answerUrl);
        Truncated(answer, applicant, HttpMethod.Post, answerUrl, new JsonObject { ["answer"] = "The register is attached." }, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"   \"", Quote(Long), Quote("\u0000"), Quote("esc\u001b[31m"), "\"\\uD800\"", Deep]))
        {
            Add(answer, applicant, HttpMethod.Post, answerUrl, $"{{\"answer\":{json}}}", $"answer = {Shorten(json)}");
        }

        Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"answer\":\"\",\"extra\":true,\"status\":\"answered\"}", "extra fields with an empty answer");
        Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"Answer \":\"x\"}", "misspelt field");
        Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"answer\":\"x\"}", "answer as text/plain", mediaType: "text/plain");
        Add(answer, ScreeningFactory.OtherApplicant, HttpMethod.Post, answerUrl, "{\"answer\":\"Not my case.\"}", "another applicant's request");
        foreach (var bad in NotIds)
        {
            Add(answer, applicant, HttpMethod.Post, $"/api/cases/{Escape(bad)}/requests/{world.RequestId}/response", "{\"answer\":\"x\"}", $"case id {Shorten(bad)}");
            Add(answer, applicant, HttpMethod.Post, $"/api/cases/{world.CaseId}/requests/{Escape(bad)}/response", "{\"answer\":\"x\"}", $"request id {Shorten(bad)}");
        }

        // ---- POST /api/cases/{id}/withdraw and the case reads: route values ----
        foreach (var bad in NotIds)
        {
            Add("POST /api/cases/{id}/withdraw", applicant, HttpMethod.Post, $"/api/cases/{Escape(bad)}/withdraw", "{}", $"id {Shorten(bad)}");
            Add("GET /api/cases/{id}", applicant, HttpMethod.Get, $"/api/cases/{Escape(bad)}", null, $"id {Shorten(bad)}");
            Add("GET /api/cases/{id}/audit", officer, HttpMethod.Get, $"/api/cases/{Escape(bad)}/audit", null, $"id {Shorten(bad)}");
            Add("GET /api/tasks/{id}", officer, HttpMethod.Get, $"/api/tasks/{Escape(bad)}", null, $"id {Shorten(bad)}");
        }

        Add("POST /api/cases/{id}/withdraw", ScreeningFactory.OtherApplicant, HttpMethod.Post, $"/api/cases/{world.CaseId}/withdraw", "{}", "another applicant's case");

        // ---- Tasks: claim and release (route values and state), complete and request-information (bodies) ----
        foreach (var action in new[] { "claim", "release", "complete", "request-information" })
        {
            var endpoint = $"POST /api/tasks/{{id}}/{action}";
            var body = action switch
            {
                "complete" => "{\"outcome\":\"recommend-clear\"}",
                "request-information" => "{\"question\":\"Why?\",\"dueInDays\":10}",
                _ => "{}",
            };
            foreach (var bad in NotIds)
            {
                Add(endpoint, officer, HttpMethod.Post, $"/api/tasks/{Escape(bad)}/{action}", body, $"id {Shorten(bad)}");
            }

            Add(endpoint, ScreeningFactory.OfficerMx, HttpMethod.Post, $"/api/tasks/{world.TaskId}/{action}", body, "a task of another jurisdiction");
            Add(endpoint, ScreeningFactory.OfficerCa2, HttpMethod.Post, $"/api/tasks/{world.TaskId}/{action}", body, "a task another officer holds");
        }

        Add("POST /api/tasks/{id}/claim", officer, HttpMethod.Post, $"/api/tasks/{world.TaskId}/claim", "{}", "a task the caller already holds");

        const string complete = "POST /api/tasks/{id}/complete";
        var completeUrl = $"/api/tasks/{world.TaskId}/complete";
        var completion = new JsonObject { ["outcome"] = "recommend-clear", ["comment"] = "Fine.", ["conditions"] = new JsonArray(new JsonObject { ["text"] = "Report yearly", ["dueInDays"] = 365 }) };
        Malformed(complete, officer, HttpMethod.Post, completeUrl);
        Truncated(complete, officer, HttpMethod.Post, completeUrl, completion, cuts: 10);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"approve-everything\"", "\"recommend-clear \"", "\"RECOMMEND-CLEAR\"", "\"certify\"", Quote(Long), "\"\\uD800\""]))
        {
            Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "outcome", json), $"outcome = {Shorten(json)}");
        }

        foreach (var json in RecordWrongStrings.Concat([Quote(Long), Quote("\u0000"), Quote("bell\u0007"), Deep]))
        {
            Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "comment", json), $"comment = {Shorten(json)}");
        }

        var conditions = new[]
        {
            "\"x\"", "{}", "1", "[null]", "[1]", "[\"text\"]", "[{\"text\":\"t\",\"dueInDays\":0}]", "[{\"text\":\"t\",\"dueInDays\":100000}]",
            "[{\"text\":\"t\",\"dueInDays\":-1}]", "[{\"text\":\"t\",\"dueInDays\":3651}]", "[{\"text\":\"t\",\"dueInDays\":1.5}]", "[{\"text\":\"t\",\"dueInDays\":\"ten\"}]",
            "[{\"text\":\"t\",\"dueInDays\":2147483648}]", "[{\"text\":\"t\",\"dueInDays\":null}]", "[{\"text\":\"t\"}]", "[{\"dueInDays\":30}]",
            "[{\"text\":\"\",\"dueInDays\":30}]", $"[{{\"text\":{Quote(Long)},\"dueInDays\":30}}]", "[{\"text\":\"\\u0007\",\"dueInDays\":30}]",
            "[{\"text\":123,\"dueInDays\":30}]", "[" + string.Join(",", Enumerable.Repeat("{\"text\":\"t\",\"dueInDays\":30}", 51)) + "]",
            "[{\"text\":\"t\",\"dueInDays\":30}," + Deep + "]",
        };
        foreach (var json in conditions)
        {
            Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "conditions", json), $"conditions = {Shorten(json)}");
        }

        const string information = "POST /api/tasks/{id}/request-information";
        var informationUrl = $"/api/tasks/{world.TaskId}/request-information";
        var question = new JsonObject { ["question"] = "Give the offtake agreement.", ["dueInDays"] = 30 };
        Malformed(information, officer, HttpMethod.Post, informationUrl);
        Truncated(information, officer, HttpMethod.Post, informationUrl, question, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"  \"", Quote(Long), Quote("\u0000"), Quote("esc\u001b"), "\"\\uD800\""]))
        {
            Add(information, officer, HttpMethod.Post, informationUrl, WithRaw(question, "question", json), $"question = {Shorten(json)}");
        }

        foreach (var json in new[] { "0", "100000", "-1", "366", "1.5", "\"ten\"", "null", "true", "2147483648", "[]", "{}", "1e3" })
        {
            Add(information, officer, HttpMethod.Post, informationUrl, WithRaw(question, "dueInDays", json), $"dueInDays = {json}");
        }

        // ---- POST /api/cases/{id}/notes ----
        const string notes = "POST /api/cases/{id}/notes";
        var notesUrl = $"/api/cases/{world.CaseId}/notes";
        var note = new JsonObject { ["text"] = "A note.", ["restricted"] = true };
        Malformed(notes, officer, HttpMethod.Post, notesUrl);
        Truncated(notes, officer, HttpMethod.Post, notesUrl, note, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"   \"", Quote(Long), Quote("\u0000"), Quote("\u001b[31mred"), "\"\\uD800\""]))
        {
            Add(notes, officer, HttpMethod.Post, notesUrl, WithRaw(note, "text", json), $"text = {Shorten(json)}");
        }

        foreach (var json in new[] { "\"yes\"", "\"true\"", "1", "{}", "[]" })
        {
            Add(notes, officer, HttpMethod.Post, notesUrl, WithRaw(note, "restricted", json), $"restricted = {json}");
        }

        Add(notes, ScreeningFactory.OfficerMx, HttpMethod.Post, notesUrl, note.ToJsonString(), "a case of another jurisdiction");
        foreach (var bad in NotIds)
        {
            Add(notes, officer, HttpMethod.Post, $"/api/cases/{Escape(bad)}/notes", note.ToJsonString(), $"id {Shorten(bad)}");
        }

        // ---- Workflow definitions ----
        const string draft = "PUT /api/workflow-definitions/{key}/draft";
        const string validate = "POST /api/workflow-definitions/validate";
        var draftUrl = "/api/workflow-definitions/bilateral-screening/draft";
        Malformed(draft, admin, HttpMethod.Put, draftUrl);
        Malformed(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", Outcome.NotValid);
        Truncated(draft, admin, HttpMethod.Put, draftUrl, world.Definition, cuts: 10);
        Truncated(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", world.Definition, cuts: 6, Outcome.NotValid);
        foreach (var (label, definition) in BrokenDefinitions(world.Definition))
        {
            Add(draft, admin, HttpMethod.Put, draftUrl, definition, label);
            Add(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", definition, label, Outcome.NotValid);
        }

        foreach (var key in new[] { "UPPER-CASE", "with space", "<script>", "../etc", "1starts-with-digit", new string('k', 100), "tab\tkey", "🙂", "other-key" })
        {
            Add(draft, admin, HttpMethod.Put, $"/api/workflow-definitions/{Escape(key)}/draft", world.Definition.ToJsonString(), $"key {Shorten(key)}");
        }

        foreach (var key in NotIds.Append("bilateral-screening"))
        {
            Add("POST /api/workflow-definitions/{key}/publish", admin, HttpMethod.Post, $"/api/workflow-definitions/{Escape(key)}/publish", "{}", $"key {Shorten(key)} (nothing to publish)");
            Add("GET /api/workflow-definitions/{key}", admin, HttpMethod.Get, $"/api/workflow-definitions/{Escape(key + "-missing")}", null, $"key {Shorten(key)}");
        }

        foreach (var version in new[] { "0", "-1", "999", "abc", "99999999999", "1.0", "%2500" })
        {
            Add("GET /api/workflow-definitions/{key}/versions/{version}", admin, HttpMethod.Get, $"/api/workflow-definitions/bilateral-screening/versions/{version}", null, $"version {version}");
        }

        // ---- Calendars ----
        const string putCalendar = "PUT /api/calendars/{code}";
        var calendar = new JsonObject { ["code"] = "CA", ["name"] = "Canada (federal)", ["weekend"] = new JsonArray(6, 0), ["holidays"] = new JsonArray("2027-01-01") };
        Malformed(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA");
        Truncated(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", calendar, cuts: 6);
        var calendarValues = new (string Path, string Json)[]
        {
            ("weekend", "[7]"), ("weekend", "[-1]"), ("weekend", "[1,1]"), ("weekend", "[0,1,2,3,4,5,6]"), ("weekend", "\"sat\""), ("weekend", "[1.5]"),
            ("weekend", "[\"six\"]"), ("weekend", "[2147483648]"), ("holidays", "null"), ("holidays", "[\"2027-13-01\"]"), ("holidays", "[\"31/12/2027\"]"),
            ("holidays", "[\"1800-01-01\"]"), ("holidays", "[\"2300-01-01\"]"), ("holidays", "[123]"), ("holidays", "\"2027-01-01\""), ("holidays", "[null]"),
            ("holidays", "[" + string.Join(",", Enumerable.Range(0, 2001).Select(i => $"\"{new DateOnly(2027, 1, 1).AddDays(i % 365):yyyy-MM-dd}\"")) + "]"),
            ("name", Quote(Long)), ("name", Quote("Canada\u0000")), ("name", Quote("Canada\u001b")), ("name", "123"), ("timeZone", "\"Mars/Olympus\""),
            ("timeZone", Quote(Long)), ("timeZone", "\"../../etc/localtime\""), ("code", "\"MX\""), ("code", "\"ca\""), ("holidays", Deep),
        };
        foreach (var (path, json) in calendarValues)
        {
            Add(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", WithRaw(calendar, path, json), $"{path} = {Shorten(json)}");
        }

        Add(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", Without(calendar, "holidays"), "holidays missing");
        foreach (var code in new[] { "ca", "C", "TOOLONGCODE", "C-A", "🇨🇦", "C\u0001", "<b>", "12" })
        {
            Add(putCalendar, admin, HttpMethod.Put, $"/api/calendars/{Escape(code)}", Without(calendar, "code"), $"code {Shorten(code)}");
        }

        foreach (var query in new[]
        {
            "start=2027-02-30&days=10&unit=business", "start=&days=10", "start=tomorrow&days=10", "start=1800-01-01&days=10", "start=2027-01-04&days=-1",
            "start=2027-01-04&days=100000", "start=2027-01-04&days=1e3", "start=2027-01-04&days=abc", "start=2027-01-04&days=", "start=2027-01-04&days=2147483648",
            "start=2027-01-04&days=10&unit=fortnight", "start=2027-01-04&days=10&unit=%00", "days=10", "start=2027-01-04",
        })
        {
            Add("GET /api/calendars/{code}/due-date", anonymous, HttpMethod.Get, $"/api/calendars/CA/due-date?{query}", null, query);
        }

        foreach (var code in new[] { "ZZZ", "ca", "%00", "<script>" })
        {
            Add("GET /api/calendars/{code}/due-date", anonymous, HttpMethod.Get, $"/api/calendars/{Escape(code)}/due-date?start=2027-01-04&days=10", null, $"code {code}");
            Add("GET /api/calendars/{code}", anonymous, HttpMethod.Get, $"/api/calendars/{Escape(code)}", null, $"code {code}");
        }

        foreach (var year in new[] { "1800", "3000", "abc", "-1", "99999999999" })
        {
            Add("GET /api/calendars/{code}", anonymous, HttpMethod.Get, $"/api/calendars/CA?year={year}", null, $"year {year}");
        }

        // ---- Administration ----
        const string clock = "POST /api/admin/clock/advance";
        Malformed(clock, admin, HttpMethod.Post, "/api/admin/clock/advance");
        foreach (var json in new[] { "0", "-1", "100000", "3661", "\"NaN\"", "\"abc\"", "true", "[]", "1e400", "null", "-0.0001", "{}" })
        {
            Add(clock, admin, HttpMethod.Post, "/api/admin/clock/advance", $"{{\"days\":{json}}}", $"days = {json}");
        }

        const string users = "POST /api/admin/users";
        var official = new JsonObject { ["email"] = "new.official@screening.example", ["password"] = "New-Official-2027!", ["displayName"] = "New official", ["role"] = "officer", ["jurisdiction"] = "CA" };
        Malformed(users, admin, HttpMethod.Post, "/api/admin/users");
        Truncated(users, admin, HttpMethod.Post, "/api/admin/users", official, cuts: 8);
        var officialValues = new (string Path, string Json)[]
        {
            ("email", "\"not-an-email\""), ("email", "\"\""), ("email", "null"), ("email", "123"), ("email", Quote(ScreeningFactory.OfficerCa)),
            ("email", "\"a\\u0000b@screening.example\""), ("email", "\"<script>@screening.example\""), ("email", "\"用户@例子.测试\""),
            ("password", "null"), ("password", "\"\""), ("password", "\"short\""), ("password", "\"alllowercaseletters\""), ("password", "123"),
            ("role", "\"applicant\""), ("role", "\"superuser\""), ("role", "\"\""), ("role", "null"), ("role", "123"), ("role", "\"Officer\""),
            ("jurisdiction", "\"US\""), ("jurisdiction", "\"ca\""), ("jurisdiction", "null"), ("jurisdiction", "\"\""), ("jurisdiction", "\"CA \""),
            ("displayName", "123"), ("displayName", Deep),
        };
        foreach (var (path, json) in officialValues)
        {
            Add(users, admin, HttpMethod.Post, "/api/admin/users", WithRaw(official, path, json), $"{path} = {Shorten(json)}");
        }

        const string role = "PUT /api/admin/users/{id}/role";
        var roleUrl = $"/api/admin/users/{world.UserId}/role";
        Malformed(role, admin, HttpMethod.Put, roleUrl);
        foreach (var json in new[]
        {
            "{\"role\":\"applicant\",\"jurisdiction\":\"CA\"}", "{\"role\":\"root\",\"jurisdiction\":\"CA\"}", "{\"role\":\"officer\",\"jurisdiction\":\"US\"}",
            "{\"role\":\"officer\"}", "{\"role\":123,\"jurisdiction\":\"CA\"}", "{\"role\":\"officer\",\"jurisdiction\":[\"CA\"]}", "{\"jurisdiction\":\"CA\"}",
            $"{{\"role\":{Quote(Long)},\"jurisdiction\":\"CA\"}}", "{\"role\":\"decision-maker\",\"jurisdiction\":\"\\u0000\"}",
        })
        {
            Add(role, admin, HttpMethod.Put, roleUrl, json, Shorten(json));
        }

        Add(role, admin, HttpMethod.Put, $"/api/admin/users/{world.AdminId}/role", "{\"role\":\"officer\",\"jurisdiction\":\"CA\"}", "administrator demoting itself");
        foreach (var bad in NotIds)
        {
            Add(role, admin, HttpMethod.Put, $"/api/admin/users/{Escape(bad)}/role", "{\"role\":\"officer\",\"jurisdiction\":\"CA\"}", $"id {Shorten(bad)}");
            Add("POST /api/admin/users/{id}/lock", admin, HttpMethod.Post, $"/api/admin/users/{Escape(bad)}/lock", "{}", $"id {Shorten(bad)}");
            Add("POST /api/admin/users/{id}/unlock", admin, HttpMethod.Post, $"/api/admin/users/{Escape(bad)}/unlock", "{}", $"id {Shorten(bad)}");
            Add("POST /api/admin/incidents/{caseId}/{incidentId}/retry", admin, HttpMethod.Post, $"/api/admin/incidents/{Escape(bad)}/x/retry", "{}", $"case id {Shorten(bad)}");
            Add("POST /api/admin/incidents/{caseId}/{incidentId}/retry", admin, HttpMethod.Post, $"/api/admin/incidents/{world.CaseId}/{Escape(bad)}/retry", "{}", $"incident id {Shorten(bad)}");
        }

        Add("POST /api/admin/users/{id}/lock", admin, HttpMethod.Post, $"/api/admin/users/{world.AdminId}/lock", "{}", "administrator locking itself out");

        // ---- Identity ----
        const string login = "POST /api/auth/login";
        var credentials = new JsonObject { ["email"] = "nobody@example.com", ["password"] = "Nobody-2027!" };
        Malformed(login, anonymous, HttpMethod.Post, "/api/auth/login");
        Truncated(login, anonymous, HttpMethod.Post, "/api/auth/login", credentials, cuts: 6);
        var loginValues = new (string Path, string Json)[]
        {
            ("email", "123"), ("email", "null"), ("email", "\"\""), ("email", "[]"), ("email", Quote(Long + "@example.com")), ("email", "\"\\uD800@example.com\""),
            ("email", "\"' OR '1'='1\""), ("email", "\"<script>@example.com\""), ("password", "123"), ("password", "null"), ("password", "\"\""), ("password", "{}"),
            ("email", Deep),
        };
        foreach (var (path, json) in loginValues)
        {
            Add(login, anonymous, HttpMethod.Post, "/api/auth/login", WithRaw(credentials, path, json), $"{path} = {Shorten(json)}");
        }

        Add(login, anonymous, HttpMethod.Post, "/api/auth/login", "{\"email\":\"nobody@example.com\",\"isAdmin\":true,\"roles\":[\"admin\"]}", "extra fields, no password");
        Add(login, anonymous, HttpMethod.Post, "/api/auth/login", credentials.ToJsonString(), "form content type", mediaType: "application/x-www-form-urlencoded");

        const string register = "POST /api/auth/register";
        var account = new JsonObject { ["email"] = "new.applicant@example.com", ["password"] = "New-Applicant-2027!" };
        Malformed(register, anonymous, HttpMethod.Post, "/api/auth/register");
        Truncated(register, anonymous, HttpMethod.Post, "/api/auth/register", account, cuts: 6);
        var registerValues = new (string Path, string Json)[]
        {
            ("email", "\"not-an-email\""), ("email", "\"\""), ("email", "null"), ("email", "123"), ("email", Quote(ScreeningFactory.Applicant)),
            ("email", "\"a\\u0000b@example.com\""), ("email", "\"用户@例子.测试\""), ("email", "\"<script>alert(1)</script>@example.com\""),
            ("email", "\"a@b@example.com\""), ("email", "\"\\uD800@example.com\""), ("password", "\"short\""), ("password", "\"\""), ("password", "null"),
            ("password", "\"alllowercaseletters\""), ("password", "\"NoDigitsOrSymbols\""), ("password", "123"), ("email", Deep),
        };
        foreach (var (path, json) in registerValues)
        {
            Add(register, anonymous, HttpMethod.Post, "/api/auth/register", WithRaw(account, path, json), $"{path} = {Shorten(json)}");
        }

        Add(register, anonymous, HttpMethod.Post, "/api/auth/register", "{\"email\":\"role.smuggler@example.com\",\"password\":\"x\",\"roles\":[\"admin\"],\"jurisdiction\":\"CA\"}", "extra role fields, weak password");

        const string refresh = "POST /api/auth/refresh";
        Malformed(refresh, anonymous, HttpMethod.Post, "/api/auth/refresh");
        foreach (var json in new[] { "\"garbage\"", "\"\"", "null", Quote(Long), "123", "\"CfDJ8AAAAAAAAAAAAAAAAAAAAA\"", "\"\\uD800\"", "[]", Quote("a.b.c") })
        {
            Add(refresh, anonymous, HttpMethod.Post, "/api/auth/refresh", $"{{\"refreshToken\":{json}}}", $"refreshToken = {Shorten(json)}");
        }

        return probes;
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

    /// <summary>Values of the wrong JSON kind for a field the filing reader checks strictly.</summary>
    private static string[] StrictWrongTypes(Kind kind) => kind switch
    {
        Kind.String => ["12345", "true", "[]", "{\"x\":1}"],
        Kind.Bool => ["\"yes\"", "\"true\"", "1", "[]", "{}"],
        Kind.Number => ["\"12\"", "true", "[]", "{}"],
        Kind.Array => ["\"CA\"", "1", "{}", "true"],
        _ => ["\"x\"", "1", "[]", "true"],
    };

    /// <summary>Values that System.Text.Json will not read into a string.</summary>
    private static readonly string[] RecordWrongStrings = ["12345", "true", "[]", "{\"x\":1}", "1.5"];

    private static JsonObject Filing(Action<JsonObject> change)
    {
        var filing = Scenario.LowRiskCa();
        change(filing);
        return filing;
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

    private enum Kind
    {
        String,
        Bool,
        Number,
        Array,
        Object,
    }

    private sealed record World(string CaseId, string TaskId, string RequestId, string UserId, string AdminId, JsonObject Definition);

    private sealed record Probe(
        string Name,
        string Endpoint,
        string Caller,
        HttpMethod Method,
        string Url,
        byte[]? Body,
        string MediaType,
        IDictionary<string, string>? Headers,
        Outcome Outcome)
    {
        public HttpContent? Content()
        {
            if (Body is null)
            {
                return null;
            }

            var content = new ByteArrayContent(Body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(MediaType);
            return content;
        }
    }
}
