using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;

namespace Screening.Web.Identity;

/// <summary>
/// The bearer token format, keeping what recent tokens decrypted to. Reading a bearer token derives a key,
/// decrypts and checks a MAC on every request, most of an authenticated read's cost; a client sends the
/// same token until it expires. A kept ticket is handed out as a copy (no request sees another's changes to
/// its principal), and the bearer handler still checks its expiry on every request. Tickets are kept for at
/// most <see cref="MaxAge"/> and never past their own expiry; at most <see cref="Capacity"/> tokens, least
/// recently used first out. A token that does not decrypt is not kept: it is refused the full way each time.
/// One instance lives as long as the host's options, so its memory cache is never disposed early.
/// </summary>
public sealed class KeptBearerTickets(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider time) : ISecureDataFormat<AuthenticationTicket>
{
    /// <summary>Tokens kept at most: a ticket is a few kilobytes, so a few megabytes in all.</summary>
    public const int Capacity = 2_000;

    /// <summary>How long a decrypted ticket is kept: also how long a revoked data-protection key goes unnoticed.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (string.IsNullOrEmpty(protectedText))
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var key = (protectedText, purpose);
        var now = time.GetUtcNow();
        AuthenticationTicket? ticket;
        if (_kept.TryGetValue(key, out Kept? kept) && now < kept!.Until)
        {
            ticket = kept.Ticket;
        }
        else
        {
            ticket = inner.Unprotect(protectedText, purpose);
            if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= now)
            {
                return ticket;
            }

            var until = expires < now + MaxAge ? expires : now + MaxAge;
            _kept.Set(key, new Kept(ticket, until), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = until - now });
        }

        // ClaimsPrincipal.Clone shares its identities; each identity is copied so no request sees another's claims.
        var principal = new ClaimsPrincipal(ticket.Principal.Identities.Select(identity => identity.Clone()));
        return new AuthenticationTicket(principal, ticket.Properties.Clone(), ticket.AuthenticationScheme);
    }

    private sealed record Kept(AuthenticationTicket Ticket, DateTimeOffset Until);
}
