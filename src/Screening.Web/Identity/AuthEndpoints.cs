using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Identity;

/// <summary>A sign-in: the password, and for an account with two-factor sign-in its code or a recovery code.</summary>
public sealed record LoginRequest(string? Email, string? Password, string? TwoFactorCode = null, string? TwoFactorRecoveryCode = null);

public sealed record RegisterRequest(string? Email, string? Password);

public sealed record RefreshRequest(string? RefreshToken);

public sealed record MeResponse(string Id, string? Email, [property: AllowedValues(Roles.Applicant, Roles.Officer, Roles.DecisionMaker, Roles.Admin)] IReadOnlyList<string> Roles, string? Jurisdiction);

/// <summary>Sign-in for the API (bearer tokens in the shape of ASP.NET Core Identity's endpoints) and applicant registration.</summary>
public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuth(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Identity");

        group.MapPost("/login", async Task<Results<EmptyHttpResult, ProblemHttpResult>> (LoginRequest request, SignInManager<ScreeningUser> signIn, LoginThrottle throttle, HttpContext context) =>
        {
            var errors = Required(request.Email, request.Password);
            CheckCodeLengths(request, errors);
            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            // Every attempt counts, whichever step it fails at: a wrong code is throttled as a wrong password is.
            using var lease = throttle.Acquire(context, request.Email!);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "60";
                return TypedResults.Problem("Too many sign-in attempts for this account from your address: try again in a minute.", statusCode: 429, title: "Too many requests.");
            }

            signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
            var users = signIn.UserManager;
            var user = await users.FindByNameAsync(request.Email!);
            if (user is null)
            {
                return NotSignedIn("The email or password is wrong.");
            }

            // The password alone never gives an official a token; one who has not enrolled does so in the web UI.
            if (!await users.GetTwoFactorEnabledAsync(user) && await TwoFactor.IsRequiredForAsync(users, user))
            {
                var password = await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
                return password.IsLockedOut ? LockedOut()
                    : password.Succeeded ? NotSignedIn("This account signs in with a two-factor code, and no authenticator app is enrolled yet: sign in once at /account/login in the web UI to enrol one, then send its code as twoFactorCode.")
                    : NotSignedIn("The email or password is wrong.");
            }

            var result = await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: false, lockoutOnFailure: true);
            var codeGiven = false;
            if (result.RequiresTwoFactor && !string.IsNullOrWhiteSpace(request.TwoFactorCode))
            {
                codeGiven = true;
                result = await signIn.TwoFactorAuthenticatorSignInAsync(TwoFactor.Normalize(request.TwoFactorCode), isPersistent: false, rememberClient: false);
            }
            else if (result.RequiresTwoFactor && !string.IsNullOrWhiteSpace(request.TwoFactorRecoveryCode))
            {
                codeGiven = true;
                result = await signIn.TwoFactorRecoveryCodeSignInAsync(TwoFactor.NormalizeRecoveryCode(request.TwoFactorRecoveryCode));
            }

            // On success the bearer handler has written { tokenType, accessToken, expiresIn, refreshToken }.
            return result switch
            {
                { Succeeded: true } => TypedResults.Empty,
                { IsLockedOut: true } => LockedOut(),
                { RequiresTwoFactor: true } => NotSignedIn("A two-factor code is required for this account: send the 6-digit code of your authenticator app as twoFactorCode, or a recovery code as twoFactorRecoveryCode."),
                _ when codeGiven => NotSignedIn("The two-factor code is wrong (or the recovery code was already used)."),
                _ => NotSignedIn("The email or password is wrong."),
            };
        }).AllowAnonymous().RequireRateLimiting(RateLimits.SignInAddress)
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK, "application/json")
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
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Exchange a refresh token for a new bearer token");

        group.MapPost("/manage/2fa", ManageTwoFactor.HandleAsync).RequireAuthorization()
            .WithSummary("Enrol an authenticator app and manage two-factor sign-in");

        routes.MapGet("/api/me", (HttpContext context) =>
        {
            var user = CurrentUser.From(context.User);
            return TypedResults.Ok(new MeResponse(user.Id, context.User.Identity?.Name, [.. user.Roles.Order(StringComparer.Ordinal)], user.Jurisdiction));
        }).RequireAuthorization().WithTags("Identity")
            .WithSummary("The signed-in user");

        return group;
    }

    private static ProblemHttpResult NotSignedIn(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in.");

    private static ProblemHttpResult LockedOut() =>
        TypedResults.Problem("Too many failed attempts: the account is locked for a few minutes.", statusCode: 429, title: "Too many requests.");

    private static void CheckCodeLengths(LoginRequest request, Dictionary<string, string[]> errors)
    {
        if (request.TwoFactorCode is { Length: > TwoFactor.MaxCodeLength })
        {
            errors["$.twoFactorCode"] = ["A two-factor code is 6 digits."];
        }

        if (request.TwoFactorRecoveryCode is { Length: > TwoFactor.MaxCodeLength })
        {
            errors["$.twoFactorRecoveryCode"] = ["A recovery code is 11 characters."];
        }
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
