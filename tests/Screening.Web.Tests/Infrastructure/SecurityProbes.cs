using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>A response as the security tests judge it: status, media type, headers, cookies, text and how long it took.</summary>
public sealed record SecurityResponse(
    HttpStatusCode Status,
    string? MediaType,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> SetCookies,
    string Text,
    TimeSpan Elapsed)
{
    public int Code => (int)Status;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The body as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Text) || MediaType?.Contains("json", StringComparison.Ordinal) != true)
            {
                return null;
            }

            try
            {
                return JsonNode.Parse(Text);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>True when this is an RFC 9457 problem document whose status member agrees with the response status.</summary>
    public bool IsProblem(out string why)
    {
        if (MediaType != "application/problem+json")
        {
            why = $"media type is '{MediaType}', not application/problem+json";
            return false;
        }

        if (Json is not JsonObject problem)
        {
            why = "the body is not a JSON object";
            return false;
        }

        if (problem["status"] is not JsonValue status || !status.TryGetValue<int>(out var code) || code != Code)
        {
            why = $"its 'status' member is {problem["status"]?.ToJsonString() ?? "missing"}, not {Code}";
            return false;
        }

        if (problem["title"] is not JsonValue title || !title.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text))
        {
            why = "it has no title";
            return false;
        }

        why = string.Empty;
        return true;
    }

    /// <summary>A short description for failure messages.</summary>
    public string Describe(int max = 300) => $"{Code} {MediaType} {(Text.Length > max ? Text[..max] + "…" : Text)}";
}

/// <summary>Raw calls for the security tests: any bytes, any media type, any headers, timed.</summary>
public static class SecurityHttp
{
    public static HttpContent JsonText(string text) => new StringContent(text, Encoding.UTF8, "application/json");

    public static HttpContent JsonOf(JsonNode? node) => JsonText(node?.ToJsonString() ?? "null");

    public static async Task<SecurityResponse> Call(this HttpClient client, HttpMethod method, string url, HttpContent? content = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();

        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            all[name] = string.Join(", ", values);
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            all[name] = string.Join(", ", values);
        }

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        return new SecurityResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, all, cookies, text, watch.Elapsed);
    }

    public static Task<SecurityResponse> CallJson(this HttpClient client, HttpMethod method, string url, object? body)
    {
        HttpContent? content = body switch
        {
            null => null,
            string text => JsonText(text),
            JsonNode node => JsonOf(node),
            _ => JsonOf(System.Text.Json.JsonSerializer.SerializeToNode(body, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))),
        };
        return client.Call(method, url, content);
    }
}

/// <summary>
/// The counts and version sums of the tables a request could change. Two equal snapshots mean no row was
/// added, removed, or (for tasks and instances, whose versions move on every change) modified.
/// </summary>
public sealed record SecuritySnapshot(
    int Cases,
    int Tasks,
    int WorkflowDefinitions,
    int Holidays,
    int Users,
    int AuditEntries,
    int Calendars,
    int Notes,
    int InformationRequests,
    int Timers,
    int Documents,
    long TaskVersions,
    long InstanceVersions)
{
    public static Task<SecuritySnapshot> TakeAsync(ScreeningFactory factory) => factory.QueryAsync(async db => new SecuritySnapshot(
        await db.Cases.CountAsync(),
        await db.Tasks.CountAsync(),
        await db.Definitions.CountAsync(),
        await db.Holidays.CountAsync(),
        await db.Users.CountAsync(),
        await db.Audit.CountAsync(),
        await db.Calendars.CountAsync(),
        await db.Notes.CountAsync(),
        await db.InformationRequests.CountAsync(),
        await db.Timers.CountAsync(),
        await db.Documents.CountAsync(),
        await db.Tasks.SumAsync(t => t.Version),
        await db.Instances.SumAsync(i => i.Version)));
}
