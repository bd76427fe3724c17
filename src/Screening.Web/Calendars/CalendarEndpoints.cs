using System.Globalization;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;

namespace Screening.Web.Calendars;

public sealed record DueDateView(string DueDate, string Unit, int Days, string Start);

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
        });

        group.MapGet("/{code}", async Task<Ok<CalendarView>> (string code, int? year, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetCalendar(code, year), cancellationToken)));

        group.MapPut("/{code}", async Task<Ok<CalendarView>> (string code, CalendarBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new PutCalendar(CurrentUser.From(context.User).Id, code, body), cancellationToken)))
            .RequireAuthorization(Policies.Admin);

        group.MapGet("/{code}/due-date", Ok<DueDateView> (string code, string? start, string? days, string? unit, CalendarCache calendars) =>
        {
            var calendar = calendars.Find(code) ?? throw new NotFoundException($"There is no calendar '{code}'.");
            var errors = new Dictionary<string, string[]>();
            if (!DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startDate) || startDate.Year is < 1900 or > 2200)
            {
                errors["start"] = ["Give the start as a date such as 2027-01-04."];
            }

            if (!int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > BusinessCalendar.MaxDays)
            {
                errors["days"] = [$"Give a whole number of days from 0 to {BusinessCalendar.MaxDays}."];
            }

            if (!DayUnits.TryParse(unit ?? "calendar", out var dayUnit))
            {
                errors["unit"] = ["The unit is 'business', 'calendar' or 'calendar-rolling'."];
            }

            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            var due = calendar.AddDays(startDate, count, dayUnit);
            return TypedResults.Ok(new DueDateView(due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dayUnit.ToWire(), count, startDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        });

        return group;
    }
}
