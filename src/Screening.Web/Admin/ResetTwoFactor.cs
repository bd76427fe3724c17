using Mediator;
using Microsoft.AspNetCore.Identity;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

/// <summary>
/// Resets a user's second factor (a lost phone): the authenticator key is replaced by one nobody holds, the recovery
/// codes are voided and sessions end at their next check. An official enrols again at the next sign-in in the web UI;
/// an applicant signs in with the password until opting in again.
/// </summary>
public sealed record ResetTwoFactor(string Actor, string UserId) : ICommand<UserView>;

public sealed class ResetTwoFactorHandler(UserManager<ScreeningUser> users, IUserStore<ScreeningUser> store, AuditTrail audit, UnitOfWork unitOfWork)
    : ICommandHandler<ResetTwoFactor, UserView>
{
    public async ValueTask<UserView> Handle(ResetTwoFactor command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.UserId) ?? throw new NotFoundException("There is no such user.");
        var wasEnabled = user.TwoFactorEnabled;

        await users.SetTwoFactorEnabledAsync(user, false);
        // A new key, not none: the seeder enrols a demo account without a key, and a reset must stay a reset.
        await users.ResetAuthenticatorKeyAsync(user);
        if (store is IUserTwoFactorRecoveryCodeStore<ScreeningUser> codes)
        {
            await codes.ReplaceCodesAsync(user, [], cancellationToken);
        }

        await users.UpdateSecurityStampAsync(user);
        audit.Record(command.Actor, "user.two-factor-reset", null, new { user = user.Id, wasEnabled });
        await unitOfWork.CommitAsync(cancellationToken);
        var roles = await users.GetRolesAsync(user);
        return new UserView(user.Id, user.Email!, user.DisplayName, [.. roles.Order(StringComparer.Ordinal)], user.Jurisdiction, await users.IsLockedOutAsync(user), false);
    }
}
