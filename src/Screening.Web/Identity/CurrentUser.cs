using System.Security.Claims;

namespace Screening.Web.Identity;

/// <summary>Who is calling, as the handlers need it: id, roles and jurisdiction.</summary>
public sealed record CurrentUser(string Id, IReadOnlySet<string> Roles, string? Jurisdiction)
{
    public bool IsApplicant => Roles.Contains(Identity.Roles.Applicant);

    public bool IsAdmin => Roles.Contains(Identity.Roles.Admin);

    public bool IsOfficial => Roles.Contains(Identity.Roles.Officer) || Roles.Contains(Identity.Roles.DecisionMaker);

    public bool HasRole(string role) => Roles.Contains(role);

    public static CurrentUser From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The caller is not signed in.");
        var roles = principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(id, roles, principal.FindFirstValue(Identity.Roles.JurisdictionClaim));
    }
}
