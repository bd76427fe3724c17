namespace Screening.Web.Admin;

/// <summary>A user as the user administration use cases return them.</summary>
public sealed record UserView(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, string? Jurisdiction, bool Locked);
