namespace Screening.Web.Hosting;

/// <summary>Headers every response carries: no framing, no sniffing, no referrer leaks, a content policy.</summary>
public static class SecurityHeaders
{
    // Blazor needs its own inline import map and a WebSocket back to the host; MudBlazor sets inline styles.
    private const string ContentPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["X-Content-Type-Options"] = "nosniff";
            headers["X-Frame-Options"] = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            // An endpoint may name a stricter policy of its own (a document download); the framework's own are replaced.
            headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<ContentSecurityPolicyMetadata>()?.Policy
                ?? (context.Request.Path.StartsWithSegments("/jobs") || context.Request.Path.StartsWithSegments("/api-reference")
                    ? "frame-ancestors 'none'"
                    : ContentPolicy);

            return Task.CompletedTask;
        });
        return next();
    });
}

/// <summary>The content security policy an endpoint's responses carry instead of the site's.</summary>
public sealed record ContentSecurityPolicyMetadata(string Policy);
