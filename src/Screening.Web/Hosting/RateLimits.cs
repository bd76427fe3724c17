using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Screening.Web.Hosting;

/// <summary>Limits under <c>Screening:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Writes (POST, PUT, DELETE) one user may make per minute.</summary>
    public int WritesPerMinute { get; set; } = 120;

    /// <summary>Sign-in attempts per minute from one address for one account (Identity also locks an account after 5 failures).</summary>
    public int LoginsPerMinute { get; set; } = 10;

    /// <summary>Sign-in and registration requests per minute from one address, whatever the account.</summary>
    public int SignInsPerAddressPerMinute { get; set; } = 100;
}

/// <summary>
/// Throttling: sign-in and registration per address (a coarse limit; <see cref="Identity.LoginThrottle"/>
/// counts attempts per address and account, and Identity locks accounts), and writes per user. A refusal is
/// a 429 problem document with Retry-After.
/// </summary>
public static class RateLimits
{
    public const string SignInAddress = "sign-in-address";

    public static IServiceCollection AddScreeningRateLimits(this IServiceCollection services, RateLimitOptions limits) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Slow down: try again in {Math.Ceiling(retryAfter.TotalSeconds)} seconds.",
                    },
                });
            };

            o.AddPolicy(SignInAddress, context =>
            {
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter($"sign-in:{address}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.SignInsPerAddressPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });

            // Writes per signed-in user (per address before sign-in); reads are not limited here.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || !context.Request.Path.StartsWithSegments("/api"))
                {
                    return RateLimitPartition.GetNoLimiter("reads");
                }

                var user = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? $"address:{context.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetFixedWindowLimiter($"writes:{user}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.WritesPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
}
