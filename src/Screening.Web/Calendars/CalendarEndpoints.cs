using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;
using Screening.Web.Workflows;

namespace Screening.Web.Calendars;

public static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendars(this IEndpointRouteBuilder routes)
    {
        // Calendars are public information; only changing one needs the admin role.
        var group = routes.MapGroup("/api/calendars").WithTags("Calendars");

        group.MapGet("/", Ok<IReadOnlyList<CalendarView>> (CalendarCache calendars, TimeProvider time) =>
        {
            var year = time.GetUtcNow().Year;
            return TypedResults.Ok<IReadOnlyList<CalendarView>>([.. calendars.All.Select(c => CalendarViews.From(c, [year, year + 1]))]);
        }).WithSummary("List calendars");

        group.MapGet("/{code}", async Task<Ok<CalendarView>> (string code, int? year, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetCalendar(code, year), cancellationToken)))
            .WithSummary("Get a calendar and its holidays");

        group.MapPut("/{code}", async Task<Ok<CalendarView>> (string code, CalendarBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new PutCalendar(CurrentUser.From(context.User).Id, code, body), cancellationToken)))
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Create or replace a calendar");

        group.MapGet("/{code}/due-date", async Task<Ok<DueDateView>> (string code, string? start, string? days, string? unit, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetDueDate(code, start, days, unit), cancellationToken)))
            .WithSummary("Compute a due date");

        return group;
    }
}
