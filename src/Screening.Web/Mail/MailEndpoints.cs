using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;

namespace Screening.Web.Mail;

public static class MailEndpoints
{
    public static RouteGroupBuilder MapMail(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/me/notification-preferences").WithTags("Notifications").RequireAuthorization();
        group.MapGet("/", async Task<Ok<NotificationPreferences>> (HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetNotificationPreferences(CurrentUser.From(context.User).Id), cancellationToken)))
            .WithSummary("The caller's e-mail alerts and their language");
        group.MapPut("/", async Task<Ok<NotificationPreferences>> (NotificationPreferencesBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new PutNotificationPreferences(CurrentUser.From(context.User).Id, body), cancellationToken)))
            .WithSummary("Turn e-mail alerts on or off, or change their language");
        return group;
    }
}
