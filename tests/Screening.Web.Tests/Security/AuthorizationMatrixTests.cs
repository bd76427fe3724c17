using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Security;

/// <summary>
/// Every endpoint of the route table (under /api, plus the /jobs dashboard) against every kind of caller, with
/// the status the contract defines: 401 without a token (except sign-in, registration, refresh, the reference data and the public
/// calendars), 403 for a role that may not call it, 404 for another owner's case or for a case or task of a
/// jurisdiction that takes no part (a low-risk Canadian case, so Mexico takes none), and the success status
/// for a caller who may. A new endpoint without a row in the table fails the tests, by name.
/// </summary>
public sealed class AuthorizationMatrixTests(ScreeningFactory factory, ITestOutputHelper output) : IClassFixture<ScreeningFactory>
{
    private const string Dashboard = "/jobs";
    private const string RegisteredPrefix = "matrix-registered-";
    private const string MatrixInvestor = "Matrix Filing Investor";
    private const string RequestStatusOpen = "open";

    private static readonly Caller[] Callers = Enum.GetValues<Caller>();

    private static readonly Dictionary<Caller, string> Emails = new()
    {
        [Caller.Owner] = ScreeningFactory.Applicant,
        [Caller.OtherApplicant] = ScreeningFactory.OtherApplicant,
        [Caller.OfficerCa] = ScreeningFactory.OfficerCa,
        [Caller.OfficerMx] = ScreeningFactory.OfficerMx,
        [Caller.DecisionCa] = ScreeningFactory.DecisionCa,
        [Caller.DecisionMx] = ScreeningFactory.DecisionMx,
        [Caller.Admin] = ScreeningFactory.Admin,
    };

    private static readonly System.Text.Json.JsonSerializerOptions Web = new(System.Text.Json.JsonSerializerDefaults.Web);

    private readonly Dictionary<Caller, HttpClient> _clients = [];

    private enum Caller
    {
        Anonymous,
        Owner,
        OtherApplicant,
        OfficerCa,
        OfficerMx,
        DecisionCa,
        DecisionMx,
        Admin,
    }

    /// <summary>Which prepared case an endpoint is called on (mutating endpoints get a case of their own).</summary>
    private enum Fixture
    {
        Main,
        Claim,
        Release,
        Complete,
        RequestInformation,
        Answer,
        Withdraw,
    }

    [Fact]
    public void EveryApiEndpointOfTheRouteTableHasARowInTheExpectationTable()
    {
        var routed = RoutedEndpoints();
        var rows = Table().Select(r => r.Key).ToHashSet(StringComparer.Ordinal);

        var missing = routed.Where(e => !rows.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Endpoints with no row in the authorization table (add one with the statuses API.md defines):\n" + string.Join("\n", missing));

        // The Hangfire dashboard is middleware, not a routed endpoint: its row is the only one the route table may lack.
        var stale = rows.Where(r => !routed.Contains(r) && r != $"GET {Dashboard}").ToList();
        Assert.True(stale.Count == 0, "Rows for endpoints the host no longer maps:\n" + string.Join("\n", stale));
        Assert.True(routed.Count >= 40, $"Only {routed.Count} API endpoints were found in the route table: {string.Join(", ", routed)}");
    }

    [Fact]
    public async Task EveryCallerGetsTheStatusTheContractDefinesOnEveryEndpoint()
    {
        var world = await PrepareAsync();
        var registeredBefore = await factory.QueryAsync(db => db.Users.CountAsync(u => u.Email!.StartsWith(RegisteredPrefix)));
        var filedBefore = await factory.QueryAsync(db => db.Cases.Where(c => c.InvestorName == MatrixInvestor).Select(c => c.Id).ToListAsync());
        var table = Table().ToDictionary(r => r.Key, StringComparer.Ordinal);
        var endpoints = RoutedEndpoints().Append($"GET {Dashboard}").Distinct().Order(StringComparer.Ordinal).ToList();
        var failures = new List<string>();
        var cells = 0;

        // The table's order (drafts before publishing, locking before unlocking), then anything it does not know.
        foreach (var key in table.Keys.Where(endpoints.Contains).Concat(endpoints.Where(e => !table.ContainsKey(e))))
        {
            if (!table.TryGetValue(key, out var row))
            {
                failures.Add($"{key}: no row in the authorization table");
                continue;
            }

            var target = world[row.Fixture];
            // Refusals first: they must change nothing, so the caller who is allowed still finds the state it expects.
            foreach (var caller in Callers.OrderBy(c => row.Expected[(int)c] < 400 ? 1 : 0))
            {
                var expected = row.Expected[(int)caller];
                var before = expected >= 400 ? await SecuritySnapshot.TakeAsync(factory) : null;
                var response = await CallAsync(row, target, caller);
                cells++;

                var where = $"{row.Key} as {caller}";
                if (response.Code != expected)
                {
                    failures.Add($"{where}: expected {expected}, got {response.Describe()}");
                    continue;
                }

                if (row.Api && expected >= 400 && !response.IsProblem(out var why))
                {
                    failures.Add($"{where}: the {expected} is not a problem document ({why}): {response.Describe()}");
                }

                if (row.Api && expected < 300 && !row.Binary && response.Json is null)
                {
                    failures.Add($"{where}: the {expected} has no JSON body: {response.Describe()}");
                }

                if (!row.Api && expected < 300 && !response.Text.Contains("Screening jobs", StringComparison.Ordinal))
                {
                    failures.Add($"{where}: the dashboard was not served: {response.Describe()}");
                }

                if (before is not null)
                {
                    var after = await SecuritySnapshot.TakeAsync(factory);
                    if (after != before)
                    {
                        failures.Add($"{where}: the refused call changed stored state: {before} -> {after}");
                    }
                }
            }
        }

        output.WriteLine($"Authorization matrix: {endpoints.Count} endpoints x {Callers.Length} callers = {cells} cells checked.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cells} cells differ from the contract:\n" + string.Join("\n", failures));
        Assert.Equal(endpoints.Count * Callers.Length, cells);
        await AssertAllowedCallsActedOnceAsync(world, registeredBefore, filedBefore);
    }

    [Fact]
    public async Task NoResponseTheApplicantCanGetContainsAPartnerJurisdictionsComment()
    {
        const string comment = "PARTNER-COMMENT-MX-4471 the investor is tied to a state offtake buyer";
        const string note = "PARTNER-NOTE-MX-9923 shared with Canada only";
        var scenario = new Scenario(factory);
        var caseId = await scenario.FileAsync(Scenario.HighRiskCa());
        await scenario.CompleteAsync(ScreeningFactory.OfficerCa, caseId, "intake-review", "certify");
        await scenario.CompleteAsync(ScreeningFactory.OfficerMx, caseId, "partner-consultation", "comment", comment);
        await factory.As(ScreeningFactory.OfficerMx).Post($"/api/cases/{caseId}/notes", new { text = note, restricted = false }).Ok(HttpStatusCode.Created);
        await factory.As(ScreeningFactory.OfficerMx).UploadedAsync(caseId, TestDocuments.Pdf("partner"), "PARTNER-DOC-MX-5521.pdf", "government");
        await factory.As(ScreeningFactory.OfficerCa).UploadedAsync(caseId, TestDocuments.Pdf("canada"), "PARTNER-DOC-CA-6630.pdf", "jurisdiction");
        var documentId = await factory.As(ScreeningFactory.Applicant).UploadedAsync(caseId, TestDocuments.Pdf("own"), "own-register.pdf");
        var officer = factory.As(ScreeningFactory.OfficerCa);
        var taskId = (await scenario.TaskAsync(ScreeningFactory.OfficerCa, caseId, "host-review")).S("id");
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();
        var requestId = (await officer.Post($"/api/tasks/{taskId}/request-information", new { question = "Give the offtake agreement.", dueInDays = 30 }).Ok()).S("requestId");

        // The comment is there for governments, so its absence below means something.
        var government = (await officer.Get($"/api/cases/{caseId}").Ok()).ToJsonString();
        Assert.Contains(comment, government, StringComparison.Ordinal);
        Assert.Contains(note, government, StringComparison.Ordinal);
        var stored = await factory.QueryAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.CaseId == Guid.Parse(caseId) && t.StepId == "partner-consultation"));
        Assert.Equal(("MX", comment), (stored.Jurisdiction, stored.Comment));

        var shared = await PrepareSharedAsync();
        var target = shared with { CaseId = caseId, TaskId = taskId, RequestId = requestId, DocumentId = documentId };
        var rows = Table().Where(r => r.Api).ToList();
        // Reads first, then writes, withdrawal last; then the reads again on the withdrawn case.
        var ordered = rows.Where(r => r.Method == "GET")
            .Concat(rows.Where(r => r.Method != "GET" && r.Fixture != Fixture.Withdraw))
            .Concat(rows.Where(r => r.Fixture == Fixture.Withdraw))
            .Concat(rows.Where(r => r.Method == "GET"))
            .ToList();
        var leaks = new List<string>();
        var statuses = new List<int>();
        foreach (var row in ordered)
        {
            var response = await CallAsync(row, target, Caller.Owner);
            statuses.Add(response.Code);
            if (response.Code >= 500)
            {
                leaks.Add($"{row.Key}: {response.Describe()}");
            }

            if (response.Text.Contains("PARTNER-COMMENT-MX-4471", StringComparison.Ordinal) || response.Text.Contains("PARTNER-NOTE-MX-9923", StringComparison.Ordinal)
                || response.Text.Contains("PARTNER-DOC-", StringComparison.Ordinal))
            {
                leaks.Add($"{row.Key} ({response.Code}) shows the applicant a partner's words: {response.Describe(2000)}");
            }
        }

        output.WriteLine($"Owner's responses checked for the partner's comment: {ordered.Count} ({statuses.Count(s => s < 300)} successful).");
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        var withdrawn = await factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(caseId)));
        Assert.Equal("withdrawn", withdrawn.Status);
        var answered = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.Equal("answered", answered.Status);
    }

    /// <summary>The successful calls of the matrix did what they say, once, by the caller who was allowed.</summary>
    private async Task AssertAllowedCallsActedOnceAsync(Dictionary<Fixture, Target> world, int registeredBefore, List<Guid> filedBefore)
    {
        var ids = await factory.QueryAsync(db => db.Users.AsNoTracking().Where(u => Emails.Values.Contains(u.Email!)).ToDictionaryAsync(u => u.Email!, u => u.Id));
        var officerCa = ids[ScreeningFactory.OfficerCa];

        var claimed = await StoredTaskAsync(world[Fixture.Claim].TaskId!);
        Assert.Equal((TaskStatuses.Claimed, officerCa), (claimed.Status, claimed.Assignee));
        var released = await StoredTaskAsync(world[Fixture.Release].TaskId!);
        Assert.Equal((TaskStatuses.Open, (string?)null), (released.Status, released.Assignee));
        var completed = await StoredTaskAsync(world[Fixture.Complete].TaskId!);
        Assert.Equal((TaskStatuses.Completed, "certify", officerCa), (completed.Status, completed.Outcome, completed.CompletedBy));

        var requests = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().Where(r => r.CaseId == Guid.Parse(world[Fixture.RequestInformation].CaseId)).ToListAsync());
        Assert.Equal((RequestStatusOpen, officerCa), (Assert.Single(requests).Status, requests[0].RequestedBy));
        var answered = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(world[Fixture.Answer].RequestId!)));
        Assert.Equal("answered", answered.Status);

        var withdrawnId = Guid.Parse(world[Fixture.Withdraw].CaseId);
        Assert.Equal("withdrawn", (await factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == withdrawnId))).Status);
        var withdrawals = await factory.QueryAsync(db => db.Audit.AsNoTracking().Where(a => a.CaseId == withdrawnId && a.Action == "case.withdrawn").ToListAsync());
        Assert.Equal(ids[ScreeningFactory.Applicant], Assert.Single(withdrawals).Actor);

        var mainId = Guid.Parse(world[Fixture.Main].CaseId);
        var notes = await factory.QueryAsync(db => db.Notes.AsNoTracking().Where(n => n.CaseId == mainId).Select(n => n.AuthorId).ToListAsync());
        Assert.Equal(new[] { officerCa, ids[ScreeningFactory.DecisionCa] }.Order(), notes.Order());
        var uploaders = await factory.QueryAsync(db => db.Documents.AsNoTracking().Where(d => d.CaseId == mainId && d.Name == "matrix-upload.pdf").Select(d => d.UploadedBy).ToListAsync());
        Assert.Equal(new[] { ids[ScreeningFactory.Applicant], officerCa, ids[ScreeningFactory.DecisionCa] }.Order(), uploaders.Order());
        Assert.True(File.Exists(factory.StoredFile(TestDocuments.Sha256(TestDocuments.Pdf("matrix upload")))));
        var main = await factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == mainId));
        Assert.Equal(("submitted", "CA"), (main.Status, main.Jurisdictions));

        Assert.Equal(registeredBefore + Callers.Length, await factory.QueryAsync(db => db.Users.CountAsync(u => u.Email!.StartsWith(RegisteredPrefix))));
        var filedByMatrix = await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.InvestorName == MatrixInvestor && !filedBefore.Contains(c.Id)).Select(c => c.ApplicantId).ToListAsync());
        // Two filings by the applicants, and two cases Canada's officer and decision-maker opened on their own initiative.
        Assert.Equal(new[] { string.Empty, string.Empty, ids[ScreeningFactory.Applicant], ids[ScreeningFactory.OtherApplicant] }.Order(), filedByMatrix.Order());
        var published = await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == "bilateral-screening" && d.IsPublished).Select(d => d.Version).ToListAsync());
        Assert.Equal(new[] { 1, 2 }, published.Order());
        var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>());
    }

    private Task<ReviewTask> StoredTaskAsync(string id) =>
        factory.QueryAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == Guid.Parse(id)));

    private HttpClient Client(Caller caller)
    {
        if (!_clients.TryGetValue(caller, out var client))
        {
            client = caller == Caller.Anonymous ? factory.Anonymous() : factory.As(Emails[caller]);
            _clients[caller] = client;
        }

        return client;
    }

    private Task<SecurityResponse> CallAsync(Row row, Target target, Caller caller)
    {
        var body = row.Body?.Invoke(target);
        var content = body switch
        {
            null => row.Method == "GET" ? null : SecurityHttp.JsonText("{}"),
            HttpContent form => form,
            JsonNode node => SecurityHttp.JsonOf(node),
            _ => SecurityHttp.JsonText(System.Text.Json.JsonSerializer.Serialize(body, Web)),
        };
        return Client(caller).Call(new HttpMethod(row.Method), row.Url(target), content);
    }

    /// <summary>"METHOD /pattern" of every routed endpoint under /api (path segment), plus /jobs if it is routed.</summary>
    private List<string> RoutedEndpoints()
    {
        _ = factory.Services; // starts the host
        var sources = factory.Services.GetServices<EndpointDataSource>();
        var keys = new List<string>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = Normalize(endpoint.RoutePattern.RawText ?? string.Empty);
            if (!(pattern == "/api" || pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern == Dashboard))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            keys.AddRange(methods.Select(m => $"{m} {pattern}"));
        }

        return [.. keys.Distinct().Order(StringComparer.Ordinal)];
    }

    private static string Normalize(string pattern)
    {
        var path = pattern.StartsWith('/') ? pattern : "/" + pattern;
        return path.Length > 1 ? path.TrimEnd('/') : path;
    }

    private async Task<Dictionary<Fixture, Target>> PrepareAsync()
    {
        var shared = await PrepareSharedAsync();
        var scenario = new Scenario(factory);
        var officer = factory.As(ScreeningFactory.OfficerCa);

        async Task<Target> Filed()
        {
            var id = await scenario.FileAsync(Scenario.LowRiskCa());
            return shared with { CaseId = id, TaskId = (await scenario.TaskAsync(ScreeningFactory.OfficerCa, id, "intake-review")).S("id") };
        }

        async Task<Target> Held(bool certified)
        {
            var filed = await Filed();
            var step = "intake-review";
            if (certified)
            {
                await scenario.CompleteAsync(ScreeningFactory.OfficerCa, filed.CaseId, "intake-review", "certify");
                step = "host-review";
            }

            var task = (await scenario.TaskAsync(ScreeningFactory.OfficerCa, filed.CaseId, step)).S("id");
            await officer.Post($"/api/tasks/{task}/claim").Ok();
            return filed with { TaskId = task };
        }

        async Task<Target> WithDocument(Target target) =>
            target with { DocumentId = await factory.As(ScreeningFactory.Applicant).UploadedAsync(target.CaseId, TestDocuments.Pdf("matrix fixture"), "matrix-fixture.pdf") };

        var answer = await Held(certified: true);
        var request = await officer.Post($"/api/tasks/{answer.TaskId}/request-information", new { question = "Give the share register.", dueInDays = 30 }).Ok();
        return new Dictionary<Fixture, Target>
        {
            [Fixture.Main] = await WithDocument(await Filed()),
            [Fixture.Claim] = await Filed(),
            [Fixture.Release] = await Held(certified: false),
            [Fixture.Complete] = await Held(certified: false),
            [Fixture.RequestInformation] = await Held(certified: true),
            [Fixture.Answer] = answer with { RequestId = request.S("requestId") },
            [Fixture.Withdraw] = await Filed(),
        };
    }

    /// <summary>What every fixture shares: a user to administer, a refresh token, the shipped definition, Canada's calendar.</summary>
    private async Task<Target> PrepareSharedAsync()
    {
        var admin = factory.As(ScreeningFactory.Admin);
        var user = await admin.Post("/api/admin/users", new
        {
            email = $"matrix-target-{Guid.NewGuid():N}@screening.example",
            password = "Matrix-Target-2027!",
            displayName = "Matrix target",
            role = "officer",
            jurisdiction = "MX",
        }).Ok(HttpStatusCode.Created);
        var login = await factory.Anonymous().Post("/api/auth/login", new { email = ScreeningFactory.Applicant, password = ScreeningFactory.Passwords[ScreeningFactory.Applicant] }).Ok();
        var definition = (await admin.Get("/api/workflow-definitions/bilateral-screening").Ok()).AsObject();
        definition.Remove("version");
        definition.Remove("status");
        var calendar = await factory.Anonymous().Get("/api/calendars/CA?year=2027").Ok();
        var calendarBody = new JsonObject
        {
            ["code"] = "CA",
            ["name"] = calendar.S("name"),
            ["weekend"] = calendar["weekend"]!.DeepClone(),
            ["holidays"] = calendar["holidays"]!.DeepClone(),
        };
        return new Target(string.Empty, null, null, user.S("id"), login.S("refreshToken"), definition, calendarBody, null);
    }

    /// <summary>An investment never filed, implemented on 1 December 2026, that a Canadian official opens.</summary>
    private static JsonObject InitiatedFiling()
    {
        var filing = MatrixFiling();
        filing["implementedOn"] = "2026-12-01";
        return filing;
    }

    private static JsonObject MatrixFiling()
    {
        var filing = Scenario.LowRiskCa();
        filing["investor"]!["name"] = MatrixInvestor;
        return filing;
    }

    private static int[] Expect(int anonymous, int owner, int otherApplicant, int officerCa, int officerMx, int decisionCa, int decisionMx, int admin) =>
        [anonymous, owner, otherApplicant, officerCa, officerMx, decisionCa, decisionMx, admin];

    private static int[] Anyone(int status) => Expect(status, status, status, status, status, status, status, status);

    private static int[] SignedIn(int status) => Expect(401, status, status, status, status, status, status, status);

    private static int[] AdminOnly(int status) => Expect(401, 403, 403, 403, 403, 403, 403, status);

    private static int[] OwnerOnly(int status) => Expect(401, status, 404, 403, 403, 403, 403, 403);

    /// <summary>A Canadian officer's task: the Mexican officials do not see it, the Canadian decision-maker may not act on it.</summary>
    private static int[] CanadianOfficerTask(int status) => Expect(401, 403, 403, status, 404, 403, 404, 403);

    /// <summary>
    /// The expected status of each caller on each endpoint. Bodies are reasonable requests a caller who is
    /// allowed would send; route values are real ids of the fixture named.
    /// </summary>
    private static List<Row> Table()
    {
        var sequence = 0;
        string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref sequence)}-{Guid.NewGuid():N}";
        Row R(string method, string pattern, Fixture fixture, Func<Target, string> url, Func<Target, object?>? body, int[] expected) =>
            new(method, pattern, fixture, url, body, expected);
        static object? None(Target t) => null;

        return
        [
            // Identity: sign-in, registration and refresh are anonymous; a bearer token does not get in their way.
            R("POST", "/api/auth/login", Fixture.Main, _ => "/api/auth/login",
                _ => new { email = ScreeningFactory.Applicant, password = ScreeningFactory.Passwords[ScreeningFactory.Applicant] }, Anyone(200)),
            R("POST", "/api/auth/register", Fixture.Main, _ => "/api/auth/register",
                _ => new { email = Unique(RegisteredPrefix) + "@example.com", password = "Register-Matrix-2027!" }, Anyone(201)),
            R("POST", "/api/auth/refresh", Fixture.Main, _ => "/api/auth/refresh", t => new { refreshToken = t.RefreshToken }, Anyone(200)),
            R("GET", "/api/me", Fixture.Main, _ => "/api/me", None, SignedIn(200)),
            // With no changes asked for, every signed-in user reads its own two-factor state.
            R("POST", "/api/auth/manage/2fa", Fixture.Main, _ => "/api/auth/manage/2fa", _ => new { }, SignedIn(200)),
            R("GET", "/api/reference-data", Fixture.Main, _ => "/api/reference-data", None, Anyone(200)),

            // Cases.
            R("POST", "/api/cases", Fixture.Main, _ => "/api/cases", _ => MatrixFiling(), Expect(401, 201, 201, 403, 403, 403, 403, 403)),
            R("POST", "/api/cases/initiated", Fixture.Main, _ => "/api/cases/initiated", _ => InitiatedFiling(), Expect(401, 403, 403, 201, 403, 201, 403, 403)),
            R("GET", "/api/cases", Fixture.Main, _ => "/api/cases", None, SignedIn(200)),
            R("GET", "/api/cases/{id:guid}", Fixture.Main, t => $"/api/cases/{t.CaseId}", None, Expect(401, 200, 404, 200, 404, 200, 404, 200)),
            R("POST", "/api/cases/{id:guid}/withdraw", Fixture.Withdraw, t => $"/api/cases/{t.CaseId}/withdraw", None, OwnerOnly(200)),
            R("POST", "/api/cases/{id:guid}/requests/{requestId:guid}/response", Fixture.Answer, t => $"/api/cases/{t.CaseId}/requests/{t.RequestId}/response",
                _ => new { answer = "The share register is attached." }, OwnerOnly(200)),
            R("POST", "/api/cases/{id:guid}/notes", Fixture.Main, t => $"/api/cases/{t.CaseId}/notes",
                _ => new { text = "Matrix note.", restricted = true }, Expect(401, 403, 403, 201, 404, 201, 404, 403)),
            // Documents: applicants on their own case, officials of a participating jurisdiction; administrators read, never add.
            R("POST", "/api/cases/{id:guid}/documents", Fixture.Main, t => $"/api/cases/{t.CaseId}/documents",
                _ => TestDocuments.Form(TestDocuments.Pdf("matrix upload"), "matrix-upload.pdf", "applicant"), Expect(401, 201, 404, 201, 404, 201, 404, 403)),
            R("GET", "/api/cases/{id:guid}/documents", Fixture.Main, t => $"/api/cases/{t.CaseId}/documents", None, Expect(401, 200, 404, 200, 404, 200, 404, 200)),
            R("GET", "/api/cases/{id:guid}/documents/{documentId:guid}", Fixture.Main, t => $"/api/cases/{t.CaseId}/documents/{t.DocumentId}", None,
                Expect(401, 200, 404, 200, 404, 200, 404, 200)) with { Binary = true },
            R("GET", "/api/cases/{id:guid}/letters", Fixture.Main, t => $"/api/cases/{t.CaseId}/letters", None, Expect(401, 200, 404, 200, 404, 200, 404, 200)),
            R("GET", "/api/cases/{id:guid}/audit", Fixture.Main, t => $"/api/cases/{t.CaseId}/audit", None, Expect(401, 403, 403, 200, 404, 200, 404, 200)),

            // Review queues and tasks.
            R("GET", "/api/tasks", Fixture.Main, _ => "/api/tasks?scope=available", None, Expect(401, 403, 403, 200, 200, 200, 200, 403)),
            R("GET", "/api/tasks/{id:guid}", Fixture.Main, t => $"/api/tasks/{t.TaskId}", None, Expect(401, 403, 403, 200, 404, 200, 404, 403)),
            R("POST", "/api/tasks/{id:guid}/claim", Fixture.Claim, t => $"/api/tasks/{t.TaskId}/claim", None, CanadianOfficerTask(200)),
            R("POST", "/api/tasks/{id:guid}/release", Fixture.Release, t => $"/api/tasks/{t.TaskId}/release", None, CanadianOfficerTask(200)),
            R("POST", "/api/tasks/{id:guid}/complete", Fixture.Complete, t => $"/api/tasks/{t.TaskId}/complete",
                _ => new { outcome = "certify", comment = "Complete filing.", conditions = Array.Empty<object>() }, CanadianOfficerTask(200)),
            R("POST", "/api/tasks/{id:guid}/request-information", Fixture.RequestInformation, t => $"/api/tasks/{t.TaskId}/request-information",
                _ => new { question = "Give the shareholder agreement.", dueInDays = 30 }, CanadianOfficerTask(200)),
            R("GET", "/api/dashboard", Fixture.Main, _ => "/api/dashboard", None, Expect(401, 403, 403, 200, 200, 200, 200, 200)),

            // Workflow definitions: administrators only. The draft is saved before it is published.
            R("GET", "/api/workflow-definitions", Fixture.Main, _ => "/api/workflow-definitions", None, AdminOnly(200)),
            R("GET", "/api/workflow-definitions/{key}", Fixture.Main, _ => "/api/workflow-definitions/bilateral-screening", None, AdminOnly(200)),
            R("GET", "/api/workflow-definitions/{key}/versions/{version:int}", Fixture.Main, _ => "/api/workflow-definitions/bilateral-screening/versions/1", None, AdminOnly(200)),
            R("PUT", "/api/workflow-definitions/{key}/draft", Fixture.Main, _ => "/api/workflow-definitions/bilateral-screening/draft", t => t.Definition, AdminOnly(200)),
            R("POST", "/api/workflow-definitions/validate", Fixture.Main, _ => "/api/workflow-definitions/validate", t => t.Definition, AdminOnly(200)),
            R("POST", "/api/workflow-definitions/{key}/publish", Fixture.Main, _ => "/api/workflow-definitions/bilateral-screening/publish", None, AdminOnly(200)),

            // Calendars are public; changing one is for administrators.
            R("GET", "/api/calendars", Fixture.Main, _ => "/api/calendars", None, Anyone(200)),
            R("GET", "/api/calendars/{code}", Fixture.Main, _ => "/api/calendars/CA?year=2027", None, Anyone(200)),
            R("PUT", "/api/calendars/{code}", Fixture.Main, _ => "/api/calendars/CA", t => t.Calendar, AdminOnly(200)),
            R("GET", "/api/calendars/{code}/due-date", Fixture.Main, _ => "/api/calendars/CA/due-date?start=2027-01-04&days=45&unit=business", None, Anyone(200)),

            // Audit.
            R("GET", "/api/audit/verify", Fixture.Main, _ => "/api/audit/verify", None, AdminOnly(200)),

            // Administration (simulated time is on in tests, so the clock endpoint exists).
            R("POST", "/api/admin/clock/advance", Fixture.Main, _ => "/api/admin/clock/advance", _ => new { days = 0, minutes = 15 }, AdminOnly(200)),
            R("GET", "/api/admin/clock", Fixture.Main, _ => "/api/admin/clock", None, AdminOnly(200)),
            R("GET", "/api/admin/consistency", Fixture.Main, _ => "/api/admin/consistency", None, AdminOnly(200)),
            R("POST", "/api/admin/backup", Fixture.Main, _ => "/api/admin/backup", None, AdminOnly(200)),
            R("GET", "/api/admin/users", Fixture.Main, _ => "/api/admin/users", None, AdminOnly(200)),
            R("POST", "/api/admin/users", Fixture.Main, _ => "/api/admin/users",
                _ => new { email = Unique("matrix-official-") + "@screening.example", password = "Matrix-Official-2027!", displayName = "Matrix official", role = "officer", jurisdiction = "CA" },
                AdminOnly(201)),
            R("PUT", "/api/admin/users/{id}/role", Fixture.Main, t => $"/api/admin/users/{t.UserId}/role", _ => new { role = "decision-maker", jurisdiction = "MX" }, AdminOnly(200)),
            R("POST", "/api/admin/users/{id}/lock", Fixture.Main, t => $"/api/admin/users/{t.UserId}/lock", None, AdminOnly(200)),
            R("POST", "/api/admin/users/{id}/unlock", Fixture.Main, t => $"/api/admin/users/{t.UserId}/unlock", None, AdminOnly(200)),
            R("POST", "/api/admin/users/{id}/reset-two-factor", Fixture.Main, t => $"/api/admin/users/{t.UserId}/reset-two-factor", None, AdminOnly(200)),
            R("GET", "/api/admin/incidents", Fixture.Main, _ => "/api/admin/incidents", None, AdminOnly(200)),
            // No case is faulted, so the administrator reaches the handler and hears that the incident does not exist.
            R("POST", "/api/admin/incidents/{caseId:guid}/{incidentId}/retry", Fixture.Main, t => $"/api/admin/incidents/{t.CaseId}/no-such-incident/retry", None, AdminOnly(404)),

            R("GET", "/api/notifications", Fixture.Main, _ => "/api/notifications", None, SignedIn(200)),
            R("GET", "/api/me/notification-preferences", Fixture.Main, _ => "/api/me/notification-preferences", None, SignedIn(200)),
            R("PUT", "/api/me/notification-preferences", Fixture.Main, _ => "/api/me/notification-preferences", _ => new { reminders = true }, SignedIn(200)),
            R("GET", "/api/admin/letter-templates/{kind}/{language}", Fixture.Main, _ => "/api/admin/letter-templates/decision/en", None, AdminOnly(200)),
            R("PUT", "/api/admin/letter-templates/{kind}/{language}", Fixture.Main, _ => "/api/admin/letter-templates/decision/en",
                _ => new { template = Screening.Web.Letters.LetterTemplates.Default("decision", "en") }, AdminOnly(200)),

            // The Hangfire dashboard (middleware, not an API endpoint: its refusals are plain 401/403).
            R("GET", Dashboard, Fixture.Main, _ => Dashboard, None, AdminOnly(200)),
        ];
    }

    private sealed record Target(string CaseId, string? TaskId, string? RequestId, string UserId, string RefreshToken, JsonObject Definition, JsonObject Calendar, string? DocumentId);

    private sealed record Row(string Method, string Pattern, Fixture Fixture, Func<Target, string> Url, Func<Target, object?>? Body, int[] Expected)
    {
        /// <summary>A success answers with content that is not JSON (a document).</summary>
        public bool Binary { get; init; }

        public string Key => $"{Method} {Pattern}";

        public bool Api => Pattern.StartsWith("/api/", StringComparison.Ordinal);
    }
}
