using Mediator;
using Microsoft.AspNetCore.Identity;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record RoleBody(string? Role, string? Jurisdiction);

/// <summary>Sets a government user's single role and jurisdiction.</summary>
public sealed record SetUserRole(string Actor, string UserId, string? Role, string? Jurisdiction) : ICommand<UserView>;

public sealed class SetUserRoleHandler(UserManager<ScreeningUser> users, AuditTrail audit, UnitOfWork unitOfWork) : ICommandHandler<SetUserRole, UserView>
{
    public async ValueTask<UserView> Handle(SetUserRole command, CancellationToken cancellationToken)
    {
        var errors = UserRules.Check(command.Role, command.Jurisdiction);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var user = await users.FindByIdAsync(command.UserId) ?? throw new NotFoundException("There is no such user.");
        if (user.Id == command.Actor && command.Role != Roles.Admin)
        {
            throw new ConflictException("You cannot take the admin role from yourself.");
        }

        var current = await users.GetRolesAsync(user);
        await users.RemoveFromRolesAsync(user, current);
        await users.AddToRoleAsync(user, command.Role!);
        user.Jurisdiction = command.Role == Roles.Admin ? null : command.Jurisdiction;
        await users.UpdateSecurityStampAsync(user);
        await users.UpdateAsync(user);
        audit.Record(command.Actor, "user.role-set", null, new { user = user.Id, role = command.Role, jurisdiction = user.Jurisdiction });
        await unitOfWork.CommitAsync(cancellationToken);
        return new UserView(user.Id, user.Email!, user.DisplayName, [command.Role!], user.Jurisdiction, user.LockoutEnd > DateTimeOffset.UtcNow, user.TwoFactorEnabled);
    }
}
