using System.Security.Claims;
using Screening.Web.Identity;

namespace Screening.Web.Components.Shared;

/// <summary>Where each kind of user starts.</summary>
public static class Landing
{
    public static string For(IEnumerable<string> roles)
    {
        var set = roles.ToHashSet(StringComparer.Ordinal);
        return set.Contains(Roles.Admin) ? "/admin"
            : set.Contains(Roles.Officer) || set.Contains(Roles.DecisionMaker) ? "/queue"
            : "/cases";
    }

    public static string For(ClaimsPrincipal user) => For(user.FindAll(ClaimTypes.Role).Select(c => c.Value));

    /// <summary>A return address of this site (never another site's, never back into the sign-in pages), else the fallback.</summary>
    public static string LocalOr(string? url, string fallback) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) && !url.StartsWith("/account", StringComparison.Ordinal) ? url : fallback;

    /// <summary>The return address as a query string to carry through the sign-in steps.</summary>
    public static string ReturnQuery(string? url) => string.IsNullOrEmpty(url) ? "" : $"?returnUrl={Uri.EscapeDataString(url)}";
}
