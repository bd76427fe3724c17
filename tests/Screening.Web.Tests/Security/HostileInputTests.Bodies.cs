using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Security;

public sealed partial class HostileInputTests
{
    /// <summary>
    /// JSON may escape a UTF-16 surrogate without its pair ("\uD800"); such text is not a string and must be
    /// refused like any other bad field. The endpoints that read their body as a JSON document (filings,
    /// definitions) are probed field by field; the record-bound ones are covered by the generated corpus.
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

    private static JsonObject Filing(Action<JsonObject> change)
    {
        var filing = Scenario.LowRiskCa();
        change(filing);
        return filing;
    }
}
