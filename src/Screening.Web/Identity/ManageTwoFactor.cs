using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Identity;

/// <summary>The body of POST /api/auth/manage/2fa, as ASP.NET Core Identity's own endpoint takes it.</summary>
public sealed record ManageTwoFactorRequest(bool? Enable = null, string? TwoFactorCode = null, bool ResetSharedKey = false, bool ResetRecoveryCodes = false, bool ForgetMachine = false);

/// <summary>The answer of POST /api/auth/manage/2fa; <c>recoveryCodes</c> only when new ones were made (shown once).</summary>
public sealed record TwoFactorStatus(string SharedKey, int RecoveryCodesLeft, string[]? RecoveryCodes, bool IsTwoFactorEnabled, bool IsMachineRemembered);

/// <summary>
/// Enrols and manages the signed-in user's authenticator in the steps of Identity's MapIdentityApi endpoint: a call
/// with no changes returns the shared key (made on first use), <c>enable</c> with a code from it turns two-factor
/// sign-in on and makes recovery codes. Officials and administrators cannot turn it off (decision 0018).
/// </summary>
public static class ManageTwoFactor
{
    public static async Task<Ok<TwoFactorStatus>> HandleAsync(
        ManageTwoFactorRequest request, HttpContext context, SignInManager<ScreeningUser> signIn, IUserStore<ScreeningUser> store,
        AuditTrail audit, UnitOfWork unitOfWork, CancellationToken cancellationToken)
    {
        var users = signIn.UserManager;
        var user = await users.GetUserAsync(context.User) ?? throw new NotFoundException("There is no such user.");
        if (request.TwoFactorCode is { Length: > TwoFactor.MaxCodeLength })
        {
            throw ValidationFailedException.For("$.twoFactorCode", "A two-factor code is 6 digits.");
        }

        var changes = new List<string>();
        if (request.Enable == true)
        {
            if (request.ResetSharedKey)
            {
                throw ValidationFailedException.For("$.resetSharedKey", "A new shared key must be confirmed with a code of its own: reset it first, then enable with a code from the new key.");
            }

            if (string.IsNullOrWhiteSpace(request.TwoFactorCode))
            {
                throw ValidationFailedException.For("$.twoFactorCode", "Give a code from your authenticator app to turn two-factor sign-in on.");
            }

            if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, TwoFactor.Normalize(request.TwoFactorCode)))
            {
                throw ValidationFailedException.For("$.twoFactorCode", "The code is wrong: it must come from the shared key of this account, on a clock that is right.");
            }

            if (!user.TwoFactorEnabled)
            {
                await users.SetTwoFactorEnabledAsync(user, true);
                changes.Add("user.two-factor-enabled");
            }
        }
        else if (request.Enable == false || request.ResetSharedKey)
        {
            if (request.Enable == false && await TwoFactor.IsRequiredForAsync(users, user))
            {
                throw ValidationFailedException.For("$.enable", "Officials and administrators must sign in with two-factor codes: it cannot be turned off.");
            }

            // As in Identity, a new key turns two-factor sign-in off until a code from it is confirmed.
            if (user.TwoFactorEnabled)
            {
                await users.SetTwoFactorEnabledAsync(user, false);
                changes.Add("user.two-factor-disabled");
            }
        }

        if (request.ResetSharedKey)
        {
            await users.ResetAuthenticatorKeyAsync(user);
            changes.Add("user.two-factor-key-reset");
        }

        string[]? recoveryCodes = null;
        if (request.ResetRecoveryCodes || (request.Enable == true && await users.CountRecoveryCodesAsync(user) == 0))
        {
            recoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, TwoFactor.RecoveryCodeCount) ?? []];
            changes.Add("user.recovery-codes-reset");
        }

        if (request.ForgetMachine)
        {
            await signIn.ForgetTwoFactorClientAsync();
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) && store is IUserAuthenticatorKeyStore<ScreeningUser> keys)
        {
            // A first key replaces nothing, so unlike a reset it keeps the user's sessions and refresh tokens.
            key = users.GenerateNewAuthenticatorKey();
            await keys.SetAuthenticatorKeyAsync(user, key, cancellationToken);
            await users.UpdateAsync(user);
        }

        foreach (var change in changes)
        {
            audit.Record(user.Id, change, null, new { user = user.Id });
        }

        await unitOfWork.CommitAsync(cancellationToken);
        return TypedResults.Ok(new TwoFactorStatus(
            key ?? throw new InvalidOperationException("The user store keeps no authenticator keys."),
            recoveryCodes?.Length ?? await users.CountRecoveryCodesAsync(user),
            recoveryCodes,
            await users.GetTwoFactorEnabledAsync(user),
            await signIn.IsTwoFactorClientRememberedAsync(user)));
    }
}
