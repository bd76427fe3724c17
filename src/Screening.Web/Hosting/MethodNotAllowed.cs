using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;

namespace Screening.Web.Hosting;

/// <summary>
/// A request no endpoint took, on a path that a route accepts with other methods, is a 405 naming exactly those
/// methods. Routing alone answers 404 there whenever a catch-all (the static-file fallback) accepts the method,
/// and its own 405 lists the catch-all's methods too.
/// </summary>
public sealed class MethodNotAllowedMiddleware(RequestDelegate next, IEnumerable<EndpointDataSource> sources, IInlineConstraintResolver constraints)
{
    private readonly Lazy<IReadOnlyList<Route>> _routes = new(() => Build(sources, constraints));

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not RouteEndpoint && Allowed(context) is { Count: > 0 } allowed)
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            context.Response.Headers.Allow = string.Join(", ", allowed);
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = new ProblemDetails { Status = StatusCodes.Status405MethodNotAllowed } });
            return;
        }

        await next(context);
    }

    private List<string> Allowed(HttpContext context)
    {
        var methods = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in _routes.Value)
        {
            if (!route.Methods.Contains(context.Request.Method) && route.Matches(context))
            {
                methods.UnionWith(route.Methods);
            }
        }

        return [.. methods];
    }

    private static List<Route> Build(IEnumerable<EndpointDataSource> sources, IInlineConstraintResolver resolver)
    {
        var routes = new List<Route>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            // Catch-alls and fallbacks accept any path, so they say nothing about which methods a path takes.
            if (methods is not { Count: > 0 } || endpoint.Order == int.MaxValue || endpoint.RoutePattern.Parameters.Any(p => p.IsCatchAll))
            {
                continue;
            }

            var checks = new List<(string Name, IRouteConstraint Constraint)>();
            foreach (var parameter in endpoint.RoutePattern.Parameters)
            {
                foreach (var policy in parameter.ParameterPolicies)
                {
                    var constraint = policy.ParameterPolicy as IRouteConstraint ?? (policy.Content is { } content ? resolver.ResolveConstraint(content) : null);
                    if (constraint is not null)
                    {
                        checks.Add((parameter.Name, constraint));
                    }
                }
            }

            var defaults = new RouteValueDictionary(endpoint.RoutePattern.Defaults);
            routes.Add(new Route(new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), defaults), checks, methods.ToHashSet(StringComparer.OrdinalIgnoreCase)));
        }

        return routes;
    }

    private sealed record Route(TemplateMatcher Matcher, List<(string Name, IRouteConstraint Constraint)> Constraints, HashSet<string> Methods)
    {
        public bool Matches(HttpContext context)
        {
            var values = new RouteValueDictionary();
            return Matcher.TryMatch(context.Request.Path, values)
                && Constraints.All(c => c.Constraint.Match(context, null, c.Name, values, RouteDirection.IncomingRequest));
        }
    }
}

/// <summary>
/// One vocabulary for every problem document, the framework's and the application's: each status has one title
/// and one type URI (RFC 9457 asks that a type's title not change from one occurrence to the next). A problem
/// with a type of its own (such as a reused idempotency key) keeps its own title.
/// </summary>
public static class ProblemVocabulary
{
    private const string Rfc9110 = "https://www.rfc-editor.org/rfc/rfc9110#section-";

    private static readonly Dictionary<int, (string Title, string Type)> ByStatus = new()
    {
        [400] = ("The request is not valid.", Rfc9110 + "15.5.1"),
        [401] = ("Not signed in.", Rfc9110 + "15.5.2"),
        [403] = ("Forbidden.", Rfc9110 + "15.5.4"),
        [404] = ("Not found.", Rfc9110 + "15.5.5"),
        [405] = ("Method not allowed.", Rfc9110 + "15.5.6"),
        [406] = ("Not acceptable.", Rfc9110 + "15.5.7"),
        [408] = ("Request timeout.", Rfc9110 + "15.5.9"),
        [409] = ("Conflict with the current state.", Rfc9110 + "15.5.10"),
        [411] = ("Length required.", Rfc9110 + "15.5.12"),
        [412] = ("Precondition failed.", Rfc9110 + "15.5.13"),
        [413] = ("The request body is too large.", Rfc9110 + "15.5.14"),
        [414] = ("The address is too long.", Rfc9110 + "15.5.15"),
        [415] = ("Unsupported media type.", Rfc9110 + "15.5.16"),
        [422] = ("The request cannot be processed.", Rfc9110 + "15.5.21"),
        [429] = ("Too many requests.", "https://www.rfc-editor.org/rfc/rfc6585#section-4"),
        [500] = ("Something went wrong on our side.", Rfc9110 + "15.6.1"),
        [503] = ("Service unavailable.", Rfc9110 + "15.6.4"),
    };

    public static string TitleOf(int status) => ByStatus.TryGetValue(status, out var entry) ? entry.Title : "The request failed.";

    public static void Apply(ProblemDetails problem)
    {
        var status = problem.Status ?? StatusCodes.Status500InternalServerError;
        // The framework's defaults point at RFC 9110 on tools.ietf.org; those and untyped problems get the shared pair.
        if (problem.Type is null || problem.Type == "about:blank" || problem.Type.StartsWith("https://tools.ietf.org/html/rfc", StringComparison.Ordinal)
            || ByStatus.Values.Any(v => v.Type == problem.Type))
        {
            problem.Type = ByStatus.TryGetValue(status, out var entry) ? entry.Type : "about:blank";
            problem.Title = TitleOf(status);
        }
    }
}
