using Mediator;
using Microsoft.AspNetCore.Identity;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

/// <summary>Locks or unlocks a user (a locked user cannot sign in; their sessions end at the next check).</summary>
public sealed record LockUser(string Actor, string UserId, bool Locked) : ICommand<UserView>;

public sealed class LockUserHandler(UserManager<ScreeningUser> users, AuditTrail audit, UnitOfWork unitOfWork) : ICommandHandler<LockUser, UserView>
{
    public async ValueTask<UserView> Handle(LockUser command, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(command.UserId) ?? throw new NotFoundException("There is no such user.");
        if (user.Id == command.Actor)
        {
            throw new ConflictException("You cannot lock yourself out.");
        }

        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, command.Locked ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(user);
        audit.Record(command.Actor, command.Locked ? "user.locked" : "user.unlocked", null, new { user = user.Id });
        await unitOfWork.CommitAsync(cancellationToken);
        return new UserView(user.Id, user.Email!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.Jurisdiction, command.Locked, user.TwoFactorEnabled);
    }
}
