using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Identity;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record RegisterRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record MeResponse(string Id, string? Email, IReadOnlyList<string> Roles, string? Jurisdiction);

/// <summary>Sign-in for the API (bearer tokens in the shape of ASP.NET Core Identity's endpoints) and applicant registration.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Identity");

        group.MapPost("/login", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (LoginRequest request, SignInManager<ScreeningUser> signIn, LoginThrottle throttle, HttpContext context) =>
        {
            if (string.IsNullOrWhiteSpace(request.Email) || string.IsNullOrEmpty(request.Password))
            {
                throw new ValidationFailedException(Required(request.Email, request.Password));
            }

            using var lease = throttle.Acquire(context, request.Email);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem("Too many sign-in attempts for this account from your address: try again in a minute.", statusCode: 429, title: "Too many requests.");
            }

            signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
            var result = await signIn.PasswordSignInAsync(request.Email, request.Password, isPersistent: false, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                return TypedResults.Problem("Too many failed attempts: the account is locked for a few minutes.", statusCode: 429, title: "Too many requests.");
            }

            // On success the bearer handler has written { tokenType, accessToken, expiresIn, refreshToken }.
            return result.Succeeded
                ? TypedResults.Empty
                : TypedResults.Problem("The email or password is wrong.", statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in.");
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignInAddress)
            .WithSummary("Sign in and get a bearer token");

        group.MapPost("/register", async Task<Created<MeResponse>> (RegisterRequest request, UserManager<ScreeningUser> users, AuditTrail audit, UnitOfWork unitOfWork, CancellationToken cancellationToken) =>
        {
            var errors = Required(request.Email, request.Password);
            AccountRules.Check(request.Email, request.Password, null, errors);

            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            var user = new ScreeningUser { UserName = request.Email, Email = request.Email };
            var created = await users.CreateAsync(user, request.Password!);
            if (!created.Succeeded)
            {
                throw new ValidationFailedException(created.Errors
                    .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "$.password" : "$.email")
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
            }

            await users.AddToRoleAsync(user, Roles.Applicant);
            audit.Record(user.Id, "user.registered", null, new { role = Roles.Applicant });
            await unitOfWork.CommitAsync(cancellationToken);
            return TypedResults.Created("/api/me", new MeResponse(user.Id, user.Email, [Roles.Applicant], null));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignInAddress)
            .WithSummary("Register an applicant account");

        group.MapPost("/refresh", async Task<Results<EmptyHttpResult, ChallengeHttpResult, SignInHttpResult>> (
            RefreshRequest request, SignInManager<ScreeningUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer) =>
        {
            var protector = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector;
            var ticket = string.IsNullOrEmpty(request.RefreshToken) ? null : protector.Unprotect(request.RefreshToken);
            // Sign-in lifetimes run on real time, even when case time is simulated.
            if (ticket?.Properties.ExpiresUtc is not { } expires || TimeProvider.System.GetUtcNow() >= expires
                || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user)
            {
                return TypedResults.Challenge();
            }

            var principal = await signIn.CreateUserPrincipalAsync(user);
            return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
        }).AllowAnonymous()
            .WithSummary("Exchange a refresh token for a new bearer token");

        routes.MapGet("/api/me", (HttpContext context) =>
        {
            var user = CurrentUser.From(context.User);
            return TypedResults.Ok(new MeResponse(user.Id, context.User.Identity?.Name, [.. user.Roles.Order(StringComparer.Ordinal)], user.Jurisdiction));
        }).RequireAuthorization().WithTags("Identity")
            .WithSummary("The signed-in user");

        return group;
    }

    internal static Dictionary<string, string[]> Required(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(email))
        {
            errors["$.email"] = ["An email is required."];
        }

        if (string.IsNullOrEmpty(password))
        {
            errors["$.password"] = ["A password is required."];
        }

        return errors;
    }
}
