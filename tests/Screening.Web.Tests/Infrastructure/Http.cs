using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Small helpers to call the API and read JSON.</summary>
public static class Http
{
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> Send(this HttpClient client, HttpMethod method, string url, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is string raw)
        {
            request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        }
        else if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (!string.IsNullOrWhiteSpace(text) && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false))
        {
            json = JsonNode.Parse(text);
        }

        return (response.StatusCode, json);
    }

    public static Task<(HttpStatusCode Status, JsonNode? Body)> Get(this HttpClient client, string url) => client.Send(HttpMethod.Get, url);

    public static Task<(HttpStatusCode Status, JsonNode? Body)> Post(this HttpClient client, string url, object? body = null, IDictionary<string, string>? headers = null) =>
        client.Send(HttpMethod.Post, url, body ?? new { }, headers);

    public static Task<(HttpStatusCode Status, JsonNode? Body)> Put(this HttpClient client, string url, object body) => client.Send(HttpMethod.Put, url, body);

    public static async Task<JsonNode> Ok(this Task<(HttpStatusCode Status, JsonNode? Body)> call, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var (status, body) = await call;
        Assert.True(status == expected, $"Expected {(int)expected} but got {(int)status}: {body?.ToJsonString()}");
        return body!;
    }

    public static string S(this JsonNode? node, string path)
    {
        var current = node;
        foreach (var part in path.Split('.'))
        {
            current = int.TryParse(part, out var index) ? current?[index] : current?[part];
        }

        return current?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"No string at '{path}' in {node?.ToJsonString()}");
    }
}
