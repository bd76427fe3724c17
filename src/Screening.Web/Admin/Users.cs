using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record UserView(string Id, string Email, string? DisplayName, IReadOnlyList<string> Roles, string? Jurisdiction, bool Locked);

/// <summary>Every user with roles and jurisdiction (administrators).</summary>
public sealed record ListUsers : IQuery<IReadOnlyList<UserView>>;

public sealed class ListUsersHandler(ScreeningDbContext db, TimeProvider time) : IQueryHandler<ListUsers, IReadOnlyList<UserView>>
{
    public async ValueTask<IReadOnlyList<UserView>> Handle(ListUsers query, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        return [.. users.Select(u => new UserView(u.Id, u.Email ?? u.UserName ?? u.Id, u.DisplayName,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal)], u.Jurisdiction,
            u.LockoutEnd is { } end && end > now))];
    }
}

public sealed record OfficialBody(string? Email, string? Password, string? DisplayName, string? Role, string? Jurisdiction);

/// <summary>Creates a government user (officer, decision-maker or admin) of a jurisdiction.</summary>
public sealed record CreateOfficial(string Actor, OfficialBody Body) : ICommand<UserView>;

public sealed class CreateOfficialHandler(UserManager<ScreeningUser> users, AuditTrail audit, UnitOfWork unitOfWork) : ICommandHandler<CreateOfficial, UserView>
{
    public async ValueTask<UserView> Handle(CreateOfficial command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var errors = UserRules.Check(body.Role, body.Jurisdiction);
        if (string.IsNullOrWhiteSpace(body.Email) || !new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(body.Email))
        {
            errors["$.email"] = ["Give an email address."];
        }

        if (string.IsNullOrEmpty(body.Password))
        {
            errors["$.password"] = ["Give an initial password."];
        }

        AccountRules.Check(body.Email, body.Password, body.DisplayName, errors);

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var user = new ScreeningUser
        {
            UserName = body.Email,
            Email = body.Email,
            EmailConfirmed = true,
            DisplayName = body.DisplayName?.Trim(),
            Jurisdiction = body.Role == Roles.Admin ? null : body.Jurisdiction,
        };
        var created = await users.CreateAsync(user, body.Password!);
        if (!created.Succeeded)
        {
            throw new ValidationFailedException(created.Errors
                .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "$.password" : "$.email")
                .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
        }

        await users.AddToRoleAsync(user, body.Role!);
        audit.Record(command.Actor, "user.created", null, new { user = user.Id, email = user.Email, role = body.Role, jurisdiction = user.Jurisdiction });
        await unitOfWork.CommitAsync(cancellationToken);
        return new UserView(user.Id, user.Email!, user.DisplayName, [body.Role!], user.Jurisdiction, false);
    }
}

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
        return new UserView(user.Id, user.Email!, user.DisplayName, [command.Role!], user.Jurisdiction, user.LockoutEnd > DateTimeOffset.UtcNow);
    }
}

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
        return new UserView(user.Id, user.Email!, user.DisplayName, [.. await users.GetRolesAsync(user)], user.Jurisdiction, command.Locked);
    }
}

internal static class UserRules
{
    public static readonly string[] GovernmentRoles = [Roles.Officer, Roles.DecisionMaker, Roles.Admin];

    public static Dictionary<string, string[]> Check(string? role, string? jurisdiction)
    {
        var errors = new Dictionary<string, string[]>();
        if (role is null || !GovernmentRoles.Contains(role))
        {
            errors["$.role"] = [$"Choose one of: {string.Join(", ", GovernmentRoles)}."];
        }
        else if (role != Roles.Admin && !Jurisdictions.IsValid(jurisdiction))
        {
            errors["$.jurisdiction"] = ["Officers and decision-makers belong to CA or MX."];
        }

        return errors;
    }
}
