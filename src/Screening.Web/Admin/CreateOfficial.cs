using Mediator;
using Microsoft.AspNetCore.Identity;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record OfficialBody(string? Email, string? Password, string? DisplayName, string? Role, string? Jurisdiction);

/// <summary>Creates a government user (officer, decision-maker or admin) of a jurisdiction.</summary>
public sealed record CreateOfficial(string Actor, OfficialBody Body) : ICommand<UserView>;

public sealed class CreateOfficialHandler(UserManager<ScreeningUser> users, AuditTrail audit, UnitOfWork unitOfWork) : ICommandHandler<CreateOfficial, UserView>
{
    public async ValueTask<UserView> Handle(CreateOfficial command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var errors = UserRules.Check(body.Role, body.Jurisdiction);
        if (string.IsNullOrWhiteSpace(body.Email) || !AccountRules.IsEmail(body.Email))
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
        return new UserView(user.Id, user.Email!, user.DisplayName, [body.Role!], user.Jurisdiction, false, false);
    }
}
