using System.ComponentModel.DataAnnotations;
using Screening.Web.Identity;

namespace Screening.Web.Admin;

/// <summary>A user as the user administration use cases return them; <c>twoFactorEnabled</c> once an authenticator is enrolled.</summary>
public sealed record UserView(string Id, string Email, string? DisplayName, [property: AllowedValues(Roles.Applicant, Roles.Officer, Roles.DecisionMaker, Roles.Admin)] IReadOnlyList<string> Roles, string? Jurisdiction, bool Locked, bool TwoFactorEnabled);
