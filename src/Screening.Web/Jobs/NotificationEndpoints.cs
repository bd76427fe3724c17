using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

public sealed record NotificationView(Guid Id, Guid? CaseId, string Subject, string? Body, DateTimeOffset CreatedAt, bool Read);

public static class NotificationEndpoints
{
    /// <summary>The caller's in-app notifications, newest first.</summary>
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/notifications", async Task<Ok<List<NotificationView>>> (HttpContext context, ScreeningDbContext db, CancellationToken cancellationToken) =>
        {
            var user = CurrentUser.From(context.User);
            var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == user.Id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(100).ToListAsync(cancellationToken);
            return TypedResults.Ok(rows.Select(n => new NotificationView(n.Id, n.CaseId, n.Subject, n.Body, CaseViews.Utc(n.CreatedAt), n.ReadAt is not null)).ToList());
        }).RequireAuthorization().WithTags("Notifications")
            .WithSummary("The caller's notifications");
        return routes;
    }
}
