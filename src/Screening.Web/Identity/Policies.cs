using Microsoft.AspNetCore.Authorization;

namespace Screening.Web.Identity;

/// <summary>Authorization policies applied on endpoint groups.</summary>
public static class Policies
{
    public const string Applicant = "applicant";
    public const string Official = "official";
    public const string Admin = "admin";
    public const string AuditReader = "audit-reader";
    public const string CaseParty = "case-party";

    public static AuthorizationBuilder AddScreeningPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Applicant, p => p.RequireRole(Roles.Applicant))
        .AddPolicy(Official, p => p.RequireRole(Roles.Officer, Roles.DecisionMaker).RequireClaim(Roles.JurisdictionClaim))
        .AddPolicy(Admin, p => p.RequireRole(Roles.Admin))
        .AddPolicy(AuditReader, p => p.RequireRole(Roles.Officer, Roles.DecisionMaker, Roles.Admin))
        // Those who add documents to cases: applicants to their own, officials to their jurisdiction's.
        .AddPolicy(CaseParty, p => p.RequireRole(Roles.Applicant, Roles.Officer, Roles.DecisionMaker));
}
