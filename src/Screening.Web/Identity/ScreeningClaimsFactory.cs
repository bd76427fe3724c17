using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Screening.Web.Identity;

/// <summary>Adds the jurisdiction claim (and display name) to the roles Identity already puts in the principal.</summary>
public sealed class ScreeningClaimsFactory(UserManager<ScreeningUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ScreeningUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ScreeningUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.Jurisdiction is { } jurisdiction)
        {
            identity.AddClaim(new Claim(Roles.JurisdictionClaim, jurisdiction));
        }

        if (user.DisplayName is { } name)
        {
            identity.AddClaim(new Claim("name", name));
        }

        return identity;
    }
}
