using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

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
            u.LockoutEnd is { } end && end > now, u.TwoFactorEnabled))];
    }
}
