using System.Globalization;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;

namespace Screening.Web.Calendars;

public sealed record CalendarView(string Code, string Name, IReadOnlyList<int> Weekend, IReadOnlyList<string> Holidays, string TimeZone);

public sealed record CalendarBody(string? Code, string? Name, IReadOnlyList<int>? Weekend, IReadOnlyList<string>? Holidays, string? TimeZone);

public sealed record DueDateView(string DueDate, string Unit, int Days, string Start);

/// <summary>A calendar with the holidays of the given years (default: this year and the next).</summary>
public sealed record GetCalendar(string Code, int? Year) : IQuery<CalendarView>;

public sealed class GetCalendarHandler(CalendarCache calendars, TimeProvider time) : IQueryHandler<GetCalendar, CalendarView>
{
    public ValueTask<CalendarView> Handle(GetCalendar query, CancellationToken cancellationToken)
    {
        if (query.Year is < 1900 or > 2200)
        {
            throw ValidationFailedException.For("year", "The year must be from 1900 to 2200.");
        }

        var calendar = calendars.Find(query.Code) ?? throw new NotFoundException($"There is no calendar '{query.Code}'.");
        var thisYear = time.GetUtcNow().Year;
        int[] years = query.Year is { } y ? [y] : [thisYear, thisYear + 1];
        return ValueTask.FromResult(CalendarViews.From(calendar, years));
    }
}

/// <summary>Creates a calendar, or replaces its weekend and the holidays of the years its list covers.</summary>
public sealed partial record PutCalendar(string Actor, string Code, CalendarBody Body) : ICommand<CalendarView>
{
    [GeneratedRegex("^[A-Z]{2,8}$")]
    public static partial Regex CodePattern();
}

public sealed class PutCalendarHandler(ScreeningDbContext db, CalendarCache calendars, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time) : ICommandHandler<PutCalendar, CalendarView>
{
    public async ValueTask<CalendarView> Handle(PutCalendar command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        var errors = new Dictionary<string, string[]>();
        if (!PutCalendar.CodePattern().IsMatch(command.Code))
        {
            errors["code"] = ["A calendar code is 2 to 8 capital letters."];
        }

        if (body.Code is { } code && code != command.Code)
        {
            errors["$.code"] = ["The code in the body differs from the code in the address."];
        }

        if (body.Name is { Length: > 200 } || (body.Name is { } n && n.Any(char.IsControl)))
        {
            errors["$.name"] = ["The name is at most 200 characters of text."];
        }

        var weekend = body.Weekend ?? [6, 0];
        if (weekend.Any(d => d is < 0 or > 6) || weekend.Distinct().Count() != weekend.Count || weekend.Count > 6)
        {
            errors["$.weekend"] = ["Weekend days are distinct numbers from 0 (Sunday) to 6 (Saturday), and at least one day must be a working day."];
        }

        var holidays = new List<DateOnly>();
        if (body.Holidays is null)
        {
            errors["$.holidays"] = ["Give the list of holidays (it may be empty)."];
        }
        else if (body.Holidays.Count > 2000)
        {
            errors["$.holidays"] = ["At most 2000 holidays at once."];
        }
        else
        {
            for (var i = 0; i < body.Holidays.Count; i++)
            {
                if (DateOnly.TryParseExact(body.Holidays[i], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year is >= 1900 and <= 2200)
                {
                    holidays.Add(date);
                }
                else
                {
                    errors[$"$.holidays[{i}]"] = ["Use a date such as 2027-01-01."];
                }
            }
        }

        var timeZone = body.TimeZone;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out _))
        {
            errors["$.timeZone"] = ["Unknown time zone; use an IANA id such as America/Toronto."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var record = await db.Calendars.Include(c => c.Holidays).FirstOrDefaultAsync(c => c.Code == command.Code, cancellationToken);
        if (record is null)
        {
            record = new CalendarRecord { Code = command.Code, Name = body.Name ?? command.Code, Weekend = string.Empty, TimeZone = timeZone ?? "UTC" };
            db.Calendars.Add(record);
        }

        record.Name = body.Name ?? record.Name;
        record.Weekend = string.Join(',', weekend);
        record.TimeZone = timeZone ?? record.TimeZone;
        var years = holidays.Select(h => h.Year).ToHashSet();
        foreach (var old in record.Holidays.Where(h => years.Contains(h.Date.Year)).ToList())
        {
            record.Holidays.Remove(old);
        }

        foreach (var date in holidays.Distinct())
        {
            record.Holidays.Add(new HolidayRecord { CalendarCode = record.Code, Date = date });
        }

        audit.Record(command.Actor, "calendar.replaced", null, new { code = record.Code, weekend, years = years.Order().ToList(), holidays = holidays.Count });
        await unitOfWork.CommitAsync(cancellationToken);
        await calendars.ReloadAsync(db, cancellationToken);
        var calendar = calendars.Find(record.Code)!;
        return CalendarViews.From(calendar, years.Count > 0 ? [.. years.Order()] : [time.GetUtcNow().Year]);
    }
}

public static class CalendarViews
{
    public static CalendarView From(BusinessCalendar calendar, IReadOnlyCollection<int> years) => new(
        calendar.Code,
        calendar.Name,
        [.. calendar.Weekend.Select(d => (int)d).OrderByDescending(d => d == 6).ThenBy(d => d)],
        [.. calendar.Holidays.Where(h => years.Contains(h.Year)).Select(h => h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))],
        calendar.TimeZoneId);
}

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
