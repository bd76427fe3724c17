using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Hosting;

/// <summary>
/// Requests sent byte for byte to the real Kestrel server, as a fuzzer or a broken client sends them: whatever
/// reaches the application answers a 4xx with a problem document; what Kestrel refuses before the application runs
/// (docs/api.md lists it) is answered by Kestrel alone, with an empty body, and the connection closed.
/// </summary>
public sealed class MalformedRequestTests(KestrelScreeningFactory kestrel, ITestOutputHelper output) : IClassFixture<KestrelScreeningFactory>
{
    [Theory]
    [InlineData("GET /api/cases/%01 HTTP/1.1", 404)]
    [InlineData("GET /api/cases/\u0001 HTTP/1.1", 404)]
    [InlineData("GET /api/cases/%1F%7F HTTP/1.1", 404)]
    [InlineData("GET /api/reference-data/%0A HTTP/1.1", 404)]
    [InlineData("GET /api/%C0%AF HTTP/1.1", 404)]
    [InlineData("GET /api/cases/..%2F..%2Fetc%2Fpasswd HTTP/1.1", 404)]
    [InlineData("GET /api/cases?page=%00 HTTP/1.1\r\nAuthorization: Bearer not-a-token", 401)]
    [InlineData("POST /no-such-page HTTP/1.1", 405)]
    [InlineData("DELETE /account/login HTTP/1.1", 405)]
    [InlineData("POST /account/login HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded", 400)]
    [InlineData("POST /jobs/stats HTTP/1.1", 401)]
    public async Task AMalformedPathTheApplicationSeesIsAnsweredWithAProblemDocument(string requestLine, int status)
    {
        var response = await SendAsync(requestLine);

        Assert.True(response.Status == status, response.Describe());
        Assert.True(response.IsProblem(out var why), $"{why}\n{response.Describe()}");
        Assert.Equal(status, response.Json!["status"]!.GetValue<int>());
        Assert.StartsWith("https://", response.Json["type"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(response.Json["title"]?.GetValue<string>()));
        if (status == 400)
        {
            Assert.NotNull(response.Json["errors"]?["$"]);
        }
    }

    [Theory]
    [InlineData("GET /api/cases/%00 HTTP/1.1", 400)]
    [InlineData("GET /%00 HTTP/1.1", 400)]
    [InlineData("GET /api/cases HTTP/1.1\r\nX-Bad\u0000Header: 1", 400)]
    [InlineData("GET /api/cases HTTP/1.1\r\nNo colon here", 400)]
    [InlineData("GET /api/cases HTTP/9.9", 505)]
    public async Task WhatKestrelRefusesBeforeTheApplicationRunsIsABareStatusOnAClosedConnection(string requestLine, int status)
    {
        var response = await SendAsync(requestLine);

        Assert.True(response.Status == status, response.Describe());
        Assert.Equal(string.Empty, response.Body);
        Assert.Equal("close", response.Header("Connection"));
    }

    [Fact]
    public async Task AnOverLongAddressIsRefusedByKestrelWith414()
    {
        var response = await SendAsync($"GET /api/cases/{new string('a', 9000)} HTTP/1.1");

        Assert.True(response.Status == 414, response.Describe());
        Assert.Equal(string.Empty, response.Body);
    }

    [Fact]
    public async Task HeadersOverTheirLimitAreRefusedByKestrelWith431()
    {
        var response = await SendAsync($"GET /api/cases HTTP/1.1\r\nX-Padding: {new string('a', 40_000)}");

        Assert.True(response.Status == 431, response.Describe());
        Assert.Equal(string.Empty, response.Body);
    }

    private async Task<Wire> SendAsync(string requestLine)
    {
        var address = kestrel.CreateClient().BaseAddress!;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port);
        await using var stream = tcp.GetStream();
        // Extra header lines, where a case has them, follow the request line.
        var request = $"{requestLine}\r\nHost: {address.Authority}\r\nAccept: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        using var read = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.CopyToAsync(read, timeout.Token);
        var text = Encoding.UTF8.GetString(read.ToArray());
        output.WriteLine($"{requestLine.Replace("\u0000", "\\0", StringComparison.Ordinal)[..Math.Min(requestLine.Length, 200)]}\n{text}\n");
        return Wire.Parse(text);
    }

    private sealed record Wire(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public JsonNode? Json => Body.Length > 0 && Header("Content-Type")?.Contains("json", StringComparison.Ordinal) == true ? JsonNode.Parse(Body) : null;

        public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

        public bool IsProblem(out string why)
        {
            why = Header("Content-Type")?.StartsWith("application/problem+json", StringComparison.Ordinal) == true && Json is JsonObject
                ? string.Empty
                : $"not a problem document (Content-Type {Header("Content-Type") ?? "none"})";
            return why.Length == 0;
        }

        public string Describe() => $"{Status} {string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}\n{Body}";

        public static Wire Parse(string text)
        {
            var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            var head = (split < 0 ? text : text[..split]).Split("\r\n");
            var body = split < 0 ? string.Empty : text[(split + 4)..];
            var status = head[0].Split(' ') is { Length: >= 2 } parts && int.TryParse(parts[1], out var code) ? code : 0;
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in head.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            if (headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                body = Unchunk(body);
            }

            return new Wire(status, headers, body);
        }

        private static string Unchunk(string body)
        {
            var result = new StringBuilder();
            var at = 0;
            while (at < body.Length)
            {
                var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                if (end < 0 || !int.TryParse(body.AsSpan(at, end - at), System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
                {
                    break;
                }

                result.Append(body, end + 2, Math.Min(size, body.Length - end - 2));
                at = end + 2 + size + 2;
            }

            return result.ToString();
        }
    }
}
