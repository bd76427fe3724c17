using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Security;

public sealed partial class HostileInputTests
{
    /// <summary>Drafting, validating, publishing and reading workflow definitions.</summary>
    private static void AddDefinitionProbes(ProbeSet probes, World world)
    {
        var admin = ScreeningFactory.Admin;

        // ---- Workflow definitions ----
        const string draft = "PUT /api/workflow-definitions/{key}/draft";
        const string validate = "POST /api/workflow-definitions/validate";
        var draftUrl = "/api/workflow-definitions/bilateral-screening/draft";
        probes.Malformed(draft, admin, HttpMethod.Put, draftUrl);
        probes.Malformed(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", Outcome.NotValid);
        probes.Truncated(draft, admin, HttpMethod.Put, draftUrl, world.Definition, cuts: 10);
        probes.Truncated(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", world.Definition, cuts: 6, Outcome.NotValid);
        foreach (var (label, definition) in BrokenDefinitions(world.Definition))
        {
            probes.Add(draft, admin, HttpMethod.Put, draftUrl, definition, label);
            probes.Add(validate, admin, HttpMethod.Post, "/api/workflow-definitions/validate", definition, label, Outcome.NotValid);
        }

        foreach (var key in new[] { "UPPER-CASE", "with space", "<script>", "../etc", "1starts-with-digit", new string('k', 100), "tab\tkey", "🙂", "other-key" })
        {
            probes.Add(draft, admin, HttpMethod.Put, $"/api/workflow-definitions/{Escape(key)}/draft", world.Definition.ToJsonString(), $"key {Shorten(key)}");
        }

        foreach (var key in NotIds.Append("bilateral-screening"))
        {
            probes.Add("POST /api/workflow-definitions/{key}/publish", admin, HttpMethod.Post, $"/api/workflow-definitions/{Escape(key)}/publish", "{}", $"key {Shorten(key)} (nothing to publish)");
            probes.Add("GET /api/workflow-definitions/{key}", admin, HttpMethod.Get, $"/api/workflow-definitions/{Escape(key + "-missing")}", null, $"key {Shorten(key)}");
        }

        foreach (var version in new[] { "0", "-1", "999", "abc", "99999999999", "1.0", "%2500" })
        {
            probes.Add("GET /api/workflow-definitions/{key}/versions/{version}", admin, HttpMethod.Get, $"/api/workflow-definitions/bilateral-screening/versions/{version}", null, $"version {version}");
        }
    }

    /// <summary>Changing a calendar, and the calendar reads and due dates.</summary>
    private static void AddCalendarProbes(ProbeSet probes)
    {
        var admin = ScreeningFactory.Admin;
        var anonymous = string.Empty;

        // ---- Calendars ----
        const string putCalendar = "PUT /api/calendars/{code}";
        var calendar = new JsonObject { ["code"] = "CA", ["name"] = "Canada (federal)", ["weekend"] = new JsonArray(6, 0), ["holidays"] = new JsonArray("2027-01-01") };
        probes.Malformed(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA");
        probes.Truncated(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", calendar, cuts: 6);
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
            probes.Add(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", WithRaw(calendar, path, json), $"{path} = {Shorten(json)}");
        }

        probes.Add(putCalendar, admin, HttpMethod.Put, "/api/calendars/CA", Without(calendar, "holidays"), "holidays missing");
        foreach (var code in new[] { "ca", "C", "TOOLONGCODE", "C-A", "🇨🇦", "C\u0001", "<b>", "12" })
        {
            probes.Add(putCalendar, admin, HttpMethod.Put, $"/api/calendars/{Escape(code)}", Without(calendar, "code"), $"code {Shorten(code)}");
        }

        foreach (var query in new[]
        {
            "start=2027-02-30&days=10&unit=business", "start=&days=10", "start=tomorrow&days=10", "start=1800-01-01&days=10", "start=2027-01-04&days=-1",
            "start=2027-01-04&days=100000", "start=2027-01-04&days=1e3", "start=2027-01-04&days=abc", "start=2027-01-04&days=", "start=2027-01-04&days=2147483648",
            "start=2027-01-04&days=10&unit=fortnight", "start=2027-01-04&days=10&unit=%00", "days=10", "start=2027-01-04",
        })
        {
            probes.Add("GET /api/calendars/{code}/due-date", anonymous, HttpMethod.Get, $"/api/calendars/CA/due-date?{query}", null, query);
        }

        foreach (var code in new[] { "ZZZ", "ca", "%00", "<script>" })
        {
            probes.Add("GET /api/calendars/{code}/due-date", anonymous, HttpMethod.Get, $"/api/calendars/{Escape(code)}/due-date?start=2027-01-04&days=10", null, $"code {code}");
            probes.Add("GET /api/calendars/{code}", anonymous, HttpMethod.Get, $"/api/calendars/{Escape(code)}", null, $"code {code}");
        }

        foreach (var year in new[] { "1800", "3000", "abc", "-1", "99999999999" })
        {
            probes.Add("GET /api/calendars/{code}", anonymous, HttpMethod.Get, $"/api/calendars/CA?year={year}", null, $"year {year}");
        }
    }

    /// <summary>The administration API: the clock, officials, roles, locks and incident retries.</summary>
    private static void AddAdministrationProbes(ProbeSet probes, World world)
    {
        var admin = ScreeningFactory.Admin;

        // ---- Administration ----
        const string clock = "POST /api/admin/clock/advance";
        probes.Malformed(clock, admin, HttpMethod.Post, "/api/admin/clock/advance");
        foreach (var json in new[] { "0", "-1", "100000", "3661", "\"NaN\"", "\"abc\"", "true", "[]", "1e400", "null", "-0.0001", "{}" })
        {
            probes.Add(clock, admin, HttpMethod.Post, "/api/admin/clock/advance", $"{{\"days\":{json}}}", $"days = {json}");
        }

        const string users = "POST /api/admin/users";
        var official = new JsonObject { ["email"] = "new.official@screening.example", ["password"] = "New-Official-2027!", ["displayName"] = "New official", ["role"] = "officer", ["jurisdiction"] = "CA" };
        probes.Malformed(users, admin, HttpMethod.Post, "/api/admin/users");
        probes.Truncated(users, admin, HttpMethod.Post, "/api/admin/users", official, cuts: 8);
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
            probes.Add(users, admin, HttpMethod.Post, "/api/admin/users", WithRaw(official, path, json), $"{path} = {Shorten(json)}");
        }

        const string role = "PUT /api/admin/users/{id}/role";
        var roleUrl = $"/api/admin/users/{world.UserId}/role";
        probes.Malformed(role, admin, HttpMethod.Put, roleUrl);
        foreach (var json in new[]
        {
            "{\"role\":\"applicant\",\"jurisdiction\":\"CA\"}", "{\"role\":\"root\",\"jurisdiction\":\"CA\"}", "{\"role\":\"officer\",\"jurisdiction\":\"US\"}",
            "{\"role\":\"officer\"}", "{\"role\":123,\"jurisdiction\":\"CA\"}", "{\"role\":\"officer\",\"jurisdiction\":[\"CA\"]}", "{\"jurisdiction\":\"CA\"}",
            $"{{\"role\":{Quote(Long)},\"jurisdiction\":\"CA\"}}", "{\"role\":\"decision-maker\",\"jurisdiction\":\"\\u0000\"}",
        })
        {
            probes.Add(role, admin, HttpMethod.Put, roleUrl, json, Shorten(json));
        }

        probes.Add(role, admin, HttpMethod.Put, $"/api/admin/users/{world.AdminId}/role", "{\"role\":\"officer\",\"jurisdiction\":\"CA\"}", "administrator demoting itself");
        foreach (var bad in NotIds)
        {
            probes.Add(role, admin, HttpMethod.Put, $"/api/admin/users/{Escape(bad)}/role", "{\"role\":\"officer\",\"jurisdiction\":\"CA\"}", $"id {Shorten(bad)}");
            probes.Add("POST /api/admin/users/{id}/lock", admin, HttpMethod.Post, $"/api/admin/users/{Escape(bad)}/lock", "{}", $"id {Shorten(bad)}");
            probes.Add("POST /api/admin/users/{id}/unlock", admin, HttpMethod.Post, $"/api/admin/users/{Escape(bad)}/unlock", "{}", $"id {Shorten(bad)}");
            probes.Add("POST /api/admin/incidents/{caseId}/{incidentId}/retry", admin, HttpMethod.Post, $"/api/admin/incidents/{Escape(bad)}/x/retry", "{}", $"case id {Shorten(bad)}");
            probes.Add("POST /api/admin/incidents/{caseId}/{incidentId}/retry", admin, HttpMethod.Post, $"/api/admin/incidents/{world.CaseId}/{Escape(bad)}/retry", "{}", $"incident id {Shorten(bad)}");
        }

        probes.Add("POST /api/admin/users/{id}/lock", admin, HttpMethod.Post, $"/api/admin/users/{world.AdminId}/lock", "{}", "administrator locking itself out");
    }

    /// <summary>Signing in, registering and refreshing a token.</summary>
    private static void AddIdentityProbes(ProbeSet probes)
    {
        var anonymous = string.Empty;

        // ---- Identity ----
        const string login = "POST /api/auth/login";
        var credentials = new JsonObject { ["email"] = "nobody@example.com", ["password"] = "Nobody-2027!" };
        probes.Malformed(login, anonymous, HttpMethod.Post, "/api/auth/login");
        probes.Truncated(login, anonymous, HttpMethod.Post, "/api/auth/login", credentials, cuts: 6);
        var loginValues = new (string Path, string Json)[]
        {
            ("email", "123"), ("email", "null"), ("email", "\"\""), ("email", "[]"), ("email", Quote(Long + "@example.com")), ("email", "\"\\uD800@example.com\""),
            ("email", "\"' OR '1'='1\""), ("email", "\"<script>@example.com\""), ("password", "123"), ("password", "null"), ("password", "\"\""), ("password", "{}"),
            ("email", Deep),
        };
        foreach (var (path, json) in loginValues)
        {
            probes.Add(login, anonymous, HttpMethod.Post, "/api/auth/login", WithRaw(credentials, path, json), $"{path} = {Shorten(json)}");
        }

        probes.Add(login, anonymous, HttpMethod.Post, "/api/auth/login", "{\"email\":\"nobody@example.com\",\"isAdmin\":true,\"roles\":[\"admin\"]}", "extra fields, no password");
        probes.Add(login, anonymous, HttpMethod.Post, "/api/auth/login", credentials.ToJsonString(), "form content type", mediaType: "application/x-www-form-urlencoded");

        const string register = "POST /api/auth/register";
        var account = new JsonObject { ["email"] = "new.applicant@example.com", ["password"] = "New-Applicant-2027!" };
        probes.Malformed(register, anonymous, HttpMethod.Post, "/api/auth/register");
        probes.Truncated(register, anonymous, HttpMethod.Post, "/api/auth/register", account, cuts: 6);
        var registerValues = new (string Path, string Json)[]
        {
            ("email", "\"not-an-email\""), ("email", "\"\""), ("email", "null"), ("email", "123"), ("email", Quote(ScreeningFactory.Applicant)),
            ("email", "\"a\\u0000b@example.com\""), ("email", "\"用户@例子.测试\""), ("email", "\"<script>alert(1)</script>@example.com\""),
            ("email", "\"a@b@example.com\""), ("email", "\"\\uD800@example.com\""), ("password", "\"short\""), ("password", "\"\""), ("password", "null"),
            ("password", "\"alllowercaseletters\""), ("password", "\"NoDigitsOrSymbols\""), ("password", "123"), ("email", Deep),
        };
        foreach (var (path, json) in registerValues)
        {
            probes.Add(register, anonymous, HttpMethod.Post, "/api/auth/register", WithRaw(account, path, json), $"{path} = {Shorten(json)}");
        }

        probes.Add(register, anonymous, HttpMethod.Post, "/api/auth/register", "{\"email\":\"role.smuggler@example.com\",\"password\":\"x\",\"roles\":[\"admin\"],\"jurisdiction\":\"CA\"}", "extra role fields, weak password");

        const string refresh = "POST /api/auth/refresh";
        probes.Malformed(refresh, anonymous, HttpMethod.Post, "/api/auth/refresh");
        foreach (var json in new[] { "\"garbage\"", "\"\"", "null", Quote(Long), "123", "\"CfDJ8AAAAAAAAAAAAAAAAAAAAA\"", "\"\\uD800\"", "[]", Quote("a.b.c") })
        {
            probes.Add(refresh, anonymous, HttpMethod.Post, "/api/auth/refresh", $"{{\"refreshToken\":{json}}}", $"refreshToken = {Shorten(json)}");
        }
    }
}
