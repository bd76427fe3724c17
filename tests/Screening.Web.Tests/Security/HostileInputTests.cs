using System.Net;
using System.Net.Http.Headers;
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
public sealed partial class HostileInputTests(ScreeningFactory factory, KestrelScreeningFactory kestrel, ITestOutputHelper output)
    : IClassFixture<ScreeningFactory>, IClassFixture<KestrelScreeningFactory>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

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
