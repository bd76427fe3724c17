using Microsoft.EntityFrameworkCore;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>Who a notification or an e-mail of a case is for, when it is for officials: the users of a role, of a jurisdiction or of both.</summary>
public static class Recipients
{
    public static async Task<List<ScreeningUser>> OfRoleAsync(ScreeningDbContext db, string role, string? jurisdiction, CancellationToken cancellationToken)
    {
        var roleId = await db.Roles.AsNoTracking().Where(r => r.Name == role).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
            .Where(u => jurisdiction == null || u.Jurisdiction == jurisdiction)
            .OrderBy(u => u.Id)
            .ToListAsync(cancellationToken);
    }
}
