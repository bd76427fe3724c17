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
}
