using System.Globalization;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Calendars;

public sealed record CalendarBody(string? Code, string? Name, IReadOnlyList<int>? Weekend, IReadOnlyList<string>? Holidays, string? TimeZone);

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
