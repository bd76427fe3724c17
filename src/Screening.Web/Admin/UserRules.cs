using Screening.Web.Identity;

namespace Screening.Web.Admin;

/// <summary>The role and jurisdiction checks shared by creating an official and setting a user's role.</summary>
internal static class UserRules
{
    public static readonly string[] GovernmentRoles = [Roles.Officer, Roles.DecisionMaker, Roles.Admin];

    public static Dictionary<string, string[]> Check(string? role, string? jurisdiction)
    {
        var errors = new Dictionary<string, string[]>();
        if (role is null || !GovernmentRoles.Contains(role))
        {
            errors["$.role"] = [$"Choose one of: {string.Join(", ", GovernmentRoles)}."];
        }
        else if (role != Roles.Admin && !Jurisdictions.IsValid(jurisdiction))
        {
            errors["$.jurisdiction"] = ["Officers and decision-makers belong to CA or MX."];
        }

        return errors;
    }
}
