using Microsoft.AspNetCore.Identity;

namespace Screening.Web.Identity;

/// <summary>A user: an applicant, or an official of a jurisdiction.</summary>
public sealed class ScreeningUser : IdentityUser
{
    /// <summary><c>CA</c> or <c>MX</c> for government users; null for applicants.</summary>
    public string? Jurisdiction { get; set; }

    /// <summary>Display name.</summary>
    public string? DisplayName { get; set; }

    /// <summary>Preferred language of the UI (<c>en</c>, <c>fr</c>, <c>es</c>).</summary>
    public string? Language { get; set; }

    /// <summary>The kinds of e-mail alert the user turned off, comma-separated (<see cref="Mail.MailPreferences"/>); null: all on.</summary>
    public string? MailOff { get; set; }
}

/// <summary>Roles and claims.</summary>
public static class Roles
{
    public const string Applicant = "applicant";
    public const string Officer = "officer";
    public const string DecisionMaker = "decision-maker";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Applicant, Officer, DecisionMaker, Admin];

    /// <summary>The claim holding a government user's jurisdiction.</summary>
    public const string JurisdictionClaim = "jurisdiction";
}

/// <summary>The two jurisdictions.</summary>
public static class Jurisdictions
{
    public const string Canada = "CA";
    public const string Mexico = "MX";

    public static IReadOnlyList<string> All { get; } = [Canada, Mexico];

    public static bool IsValid(string? code) => code is Canada or Mexico;
}
