using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>A response as it came over the wire: status, media type, headers and the exact body text.</summary>
public sealed record RawResponse(HttpStatusCode Status, string? MediaType, IReadOnlyDictionary<string, string> Headers, string Text)
{
    /// <summary>The body parsed as JSON (null when it is empty or not JSON).</summary>
    public JsonNode? Json => string.IsNullOrWhiteSpace(Text) || MediaType?.Contains("json", StringComparison.Ordinal) != true ? null : JsonNode.Parse(Text);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>Calls that keep the raw response, for assertions on headers, media types and the exact JSON text.</summary>
public static class RawHttp
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static async Task<RawResponse> Raw(this HttpClient client, HttpMethod method, string url, string? body = null, IDictionary<string, string>? headers = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            all[name] = string.Join(",", values);
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            all[name] = string.Join(",", values);
        }

        return new RawResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, all, text);
    }

    public static Task<RawResponse> RawGet(this HttpClient client, string url) => client.Raw(HttpMethod.Get, url);

    public static Task<RawResponse> RawPost(this HttpClient client, string url, object? body = null, IDictionary<string, string>? headers = null) =>
        client.Raw(HttpMethod.Post, url, Serialize(body ?? new { }), headers);

    public static Task<RawResponse> RawPut(this HttpClient client, string url, object body) => client.Raw(HttpMethod.Put, url, Serialize(body));

    /// <summary>A body as JSON text: a string is sent as it is (so malformed JSON can be sent), anything else serialized.</summary>
    public static string Serialize(object body) => body switch
    {
        string text => text,
        JsonNode node => node.ToJsonString(),
        _ => JsonSerializer.Serialize(body, Web),
    };
}
