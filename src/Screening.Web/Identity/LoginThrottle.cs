using Screening.Web.Hosting;

namespace Screening.Web.Identity;

/// <summary>Sign-in attempts per address and account: a guesser at one address cannot lock others out.</summary>
public sealed class LoginThrottle(Microsoft.Extensions.Options.IOptions<ScreeningOptions> options) : IDisposable
{
    private readonly System.Threading.RateLimiting.PartitionedRateLimiter<string> _limiter =
        System.Threading.RateLimiting.PartitionedRateLimiter.Create<string, string>(key =>
            System.Threading.RateLimiting.RateLimitPartition.GetFixedWindowLimiter(key, _ => new System.Threading.RateLimiting.FixedWindowRateLimiterOptions
            {
                PermitLimit = options.Value.RateLimits.LoginsPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));

    public System.Threading.RateLimiting.RateLimitLease Acquire(HttpContext context, string email) =>
        _limiter.AttemptAcquire($"{context.Connection.RemoteIpAddress}|{email.Trim().ToUpperInvariant()}");

    public void Dispose() => _limiter.Dispose();
}
