using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Time.Testing;
using Screening.Web.Identity;

namespace Screening.Web.Tests.Identity;

/// <summary>
/// Bearer tokens decrypted once and kept: each request still gets a ticket of its own, a token that does not
/// decrypt or has expired is never kept, and nothing is kept past its expiry or five minutes.
/// </summary>
public sealed class KeptBearerTicketsTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ATokenIsDecryptedOnceAndEachReaderGetsItsOwnCopy()
    {
        var inner = new CountingFormat(Ticket("user-1", _time.GetUtcNow().AddHours(1)));
        var kept = new KeptBearerTickets(inner, _time);

        var first = kept.Unprotect("token-a")!;
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim(ClaimTypes.Role, "admin"));
        first.Properties.Items["changed"] = "yes";
        var second = kept.Unprotect("token-a")!;

        Assert.Equal(1, inner.Calls);
        Assert.NotSame(first, second);
        Assert.Equal("user-1", second.Principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.False(second.Principal.IsInRole("admin"));
        Assert.False(second.Properties.Items.ContainsKey("changed"));
        Assert.Equal(first.Properties.ExpiresUtc, second.Properties.ExpiresUtc);
    }

    [Fact]
    public void ATokenThatDoesNotDecryptOrHasExpiredIsNotKept()
    {
        var refused = new CountingFormat(null);
        var kept = new KeptBearerTickets(refused, _time);
        Assert.Null(kept.Unprotect("forged"));
        Assert.Null(kept.Unprotect("forged"));
        Assert.Equal(2, refused.Calls);

        var expired = new CountingFormat(Ticket("user-1", _time.GetUtcNow().AddSeconds(-1)));
        kept = new KeptBearerTickets(expired, _time);
        Assert.NotNull(kept.Unprotect("old"));
        Assert.NotNull(kept.Unprotect("old"));
        Assert.Equal(2, expired.Calls);

        Assert.Null(kept.Unprotect(null));
        Assert.Null(kept.Unprotect(""));
    }

    [Fact]
    public void AKeptTicketIsDecryptedAgainAfterFiveMinutesOrAtItsExpiry()
    {
        var longLived = new CountingFormat(Ticket("user-1", _time.GetUtcNow().AddHours(1)));
        var kept = new KeptBearerTickets(longLived, _time);
        kept.Unprotect("token-a");
        _time.Advance(KeptBearerTickets.MaxAge - TimeSpan.FromSeconds(1));
        kept.Unprotect("token-a");
        Assert.Equal(1, longLived.Calls);
        _time.Advance(TimeSpan.FromSeconds(1));
        kept.Unprotect("token-a");
        Assert.Equal(2, longLived.Calls);

        var shortLived = new CountingFormat(Ticket("user-2", _time.GetUtcNow().AddMinutes(1)));
        kept = new KeptBearerTickets(shortLived, _time);
        kept.Unprotect("token-b");
        _time.Advance(TimeSpan.FromMinutes(1));
        // Past its expiry it is decrypted again, and the bearer handler refuses what comes back.
        kept.Unprotect("token-b");
        Assert.Equal(2, shortLived.Calls);
    }

    [Fact]
    public void TokensAreIssuedByTheFormatItWraps()
    {
        var inner = new CountingFormat(null);
        var kept = new KeptBearerTickets(inner, _time);
        Assert.Equal("protected", kept.Protect(Ticket("user-1", _time.GetUtcNow())));
        Assert.Equal("protected:purpose", kept.Protect(Ticket("user-1", _time.GetUtcNow()), "purpose"));
    }

    private static AuthenticationTicket Ticket(string userId, DateTimeOffset expires) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId)], "Bearer")),
            new AuthenticationProperties { ExpiresUtc = expires }, "Bearer");

    private sealed class CountingFormat(AuthenticationTicket? ticket) : ISecureDataFormat<AuthenticationTicket>
    {
        public int Calls { get; private set; }

        public string Protect(AuthenticationTicket data) => "protected";

        public string Protect(AuthenticationTicket data, string? purpose) => $"protected:{purpose}";

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Calls++;
            return string.IsNullOrEmpty(protectedText) ? null : ticket;
        }
    }
}
