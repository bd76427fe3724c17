using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Hosting;

/// <summary>
/// Responses the framework produces (a method a path does not accept, a malformed path, no route, no sign-in)
/// are problem documents like the application's own: one title per status, and a type URI on every one.
/// (A path with a NUL byte never reaches the application: Kestrel refuses it with a bare 400 first.)
/// </summary>
public sealed class ProblemDocumentTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH"];

    [Fact]
    public async Task EveryRouteAnswersAMethodItDoesNotAcceptWith405NamingTheMethodsItDoes()
    {
        var routes = RoutesByPath();
        Assert.True(routes.Count >= 30, $"Only {routes.Count} routes were found.");
        var before = await SecuritySnapshot.TakeAsync(factory);
        var failures = new List<string>();
        foreach (var (pattern, accepted) in routes)
        {
            var url = Url(pattern);
            // A literal segment may also be another route's value (GET /api/workflow-definitions/{key} takes 'validate').
            var taken = routes.Where(r => Covers(r.Key, pattern)).SelectMany(r => r.Value).ToHashSet(StringComparer.Ordinal);
            var wrong = Methods.First(m => !taken.Contains(m));
            var response = await factory.As(ScreeningFactory.Admin).Call(new HttpMethod(wrong), url, wrong == "GET" ? null : SecurityHttp.JsonText("{}"));
            var allow = (response.Header("Allow") ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Order().ToList();
            if (response.Code != 405 || !response.IsProblem(out _))
            {
                failures.Add($"{wrong} {url}: {response.Describe()}");
            }
            else if (!allow.SequenceEqual(taken.Order()))
            {
                failures.Add($"{wrong} {url}: Allow is '{response.Header("Allow")}', not {string.Join(", ", taken.Order())}");
            }
            else if (response.Json!["title"]!.GetValue<string>() != "Method not allowed." || response.Json["type"] is null)
            {
                failures.Add($"{wrong} {url}: {response.Describe()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(before, await SecuritySnapshot.TakeAsync(factory));
    }

    [Fact]
    public async Task AGetOnAnApiPathThatOnlyTakesPostIs405WithAnAllowHeader()
    {
        var response = await factory.As(ScreeningFactory.Applicant).Call(HttpMethod.Get, $"/api/cases/{Guid.NewGuid()}/withdraw");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal("POST", response.Header("Allow"));
        Assert.True(response.IsProblem(out var why), why);
        Assert.Equal("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6", response.Json!["type"]!.GetValue<string>());
        Assert.Equal("This address does not accept that method.", response.Json["detail"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("", "GET", "/api/cases", 401, "Not signed in.")]
    [InlineData(ScreeningFactory.Applicant, "GET", "/api/admin/users", 403, "Forbidden.")]
    [InlineData(ScreeningFactory.Applicant, "GET", "/api/no-such-thing", 404, "Not found.")]
    [InlineData(ScreeningFactory.Applicant, "GET", "/api/cases/9b2f6a34-5a53-4c5e-9d2a-3f1e2b7c8d90", 404, "Not found.")]
    [InlineData(ScreeningFactory.Applicant, "POST", "/api/cases", 400, "The request is not valid.")]
    [InlineData(ScreeningFactory.OfficerCa, "GET", "/api/admin/users", 403, "Forbidden.")]
    [InlineData("", "POST", "/api/auth/login", 401, "Not signed in.")]
    public async Task FrameworkAndApplicationProblemsShareOneTitlePerStatusAndCarryAType(string caller, string method, string url, int status, string title)
    {
        var client = caller.Length == 0 ? factory.Anonymous() : factory.As(caller);
        var body = method == "GET" ? null : SecurityHttp.JsonText(url.EndsWith("login", StringComparison.Ordinal)
            ? """{"email":"nobody@example.com","password":"Wrong-Password-1!"}"""
            : "{}");

        var response = await client.Call(new HttpMethod(method), url, body);

        Assert.Equal(status, response.Code);
        Assert.True(response.IsProblem(out var why), why);
        Assert.Equal(title, response.Json!["title"]!.GetValue<string>());
        Assert.StartsWith("https://", response.Json["type"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Each route pattern of the host with the methods it accepts (routes that take any method are left out).</summary>
    private Dictionary<string, HashSet<string>> RoutesByPath()
    {
        var routes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var endpoint in factory.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            var raw = endpoint.RoutePattern.RawText ?? string.Empty;
            if (methods is null || methods.Count == 0 || raw.Contains('*', StringComparison.Ordinal) || raw.Contains("_framework", StringComparison.Ordinal)
                || raw.Contains("_blazor", StringComparison.Ordinal) || endpoint.RoutePattern.Parameters.Any(p => p.IsOptional))
            {
                continue;
            }

            // Static assets have one route per file; a handful is enough, and they are not what this is about.
            if (endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)))
            {
                continue;
            }

            var key = Shape(endpoint.RoutePattern);
            if (!routes.TryGetValue(key, out var set))
            {
                routes[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.UnionWith(methods.Where(m => m != "HEAD"));
        }

        return routes;
    }

    // Patterns that differ only in a parameter's name answer the same URLs.
    private static string Shape(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(c => c.Content == "guid") ? "{guid}"
                : parameter.ParameterPolicies.Any(c => c.Content == "int") ? "{int}" : "{text}",
            _ => string.Empty,
        }))));

    private static bool Covers(string general, string specific)
    {
        var a = general.Split('/');
        var b = specific.Split('/');
        return a.Length == b.Length && a.Zip(b).All(p => p.First == p.Second || p.First == "{text}");
    }

    private static string Url(string shape) => shape
        .Replace("{guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{int}", "1", StringComparison.Ordinal)
        .Replace("{text}", "CA", StringComparison.Ordinal);
}
