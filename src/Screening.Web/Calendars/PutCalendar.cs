using System.Globalization;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Calendars;

/// <summary>A calendar as an administrator sends it; each holiday is a date string or <c>{ "date", "name", "source", "kind" }</c>.</summary>
public sealed record CalendarBody(string? Code, string? Name, IReadOnlyList<int>? Weekend, IReadOnlyList<System.Text.Json.Nodes.JsonNode?>? Holidays, string? TimeZone)
{
    /// <summary>Weekdays that are legal holidays every week (0 = Sunday); the weekend when absent.</summary>
    public IReadOnlyList<int>? LegalWeekdays { get; init; }
}

/// <summary>Creates a calendar, or replaces its weekend and the holidays of the years its list covers.</summary>
public sealed partial record PutCalendar(string Actor, string Code, CalendarBody Body) : ICommand<CalendarView>
{
    [GeneratedRegex("^[A-Z]{2,8}$")]
    public static partial Regex CodePattern();
}

public sealed class PutCalendarHandler(ScreeningDbContext db, CalendarCache calendars, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, IMediator mediator)
    : ICommandHandler<PutCalendar, CalendarView>
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

        var holidays = new List<HolidayRecord>();
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
                if (ReadHoliday(command.Code, body.Holidays[i], $"$.holidays[{i}]", errors) is { } holiday)
                {
                    holidays.Add(holiday);
                }
            }
        }

        var legalWeekdays = body.LegalWeekdays;
        if (legalWeekdays is not null && (legalWeekdays.Any(d => d is < 0 or > 6) || legalWeekdays.Distinct().Count() != legalWeekdays.Count || legalWeekdays.Count > 6))
        {
            errors["$.legalWeekdays"] = ["Legal weekdays are distinct numbers from 0 (Sunday) to 6 (Saturday), and at least one day must not be one."];
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
        record.LegalWeekdays = legalWeekdays is null ? record.LegalWeekdays : string.Join(',', legalWeekdays);
        record.TimeZone = timeZone ?? record.TimeZone;
        var years = holidays.Select(h => h.Date.Year).ToHashSet();
        var before = record.Holidays.ToDictionary(h => h.Date);
        foreach (var old in record.Holidays.Where(h => years.Contains(h.Date.Year)).ToList())
        {
            record.Holidays.Remove(old);
        }

        foreach (var holiday in holidays.GroupBy(h => h.Date).Select(g => g.Last()))
        {
            // A date given alone keeps the name and kind it had.
            record.Holidays.Add(holiday.Name.Length == 0 && before.TryGetValue(holiday.Date, out var known)
                ? new HolidayRecord { CalendarCode = record.Code, Date = holiday.Date, Name = known.Name, Source = known.Source, Kind = known.Kind }
                : holiday);
        }

        var added = record.Holidays.Where(h => !before.ContainsKey(h.Date)).Select(h => h.Date).Order().ToList();
        var removed = before.Keys.Where(d => years.Contains(d.Year) && record.Holidays.All(h => h.Date != d)).Order().ToList();
        audit.Record(command.Actor, "calendar.replaced", null, new { code = record.Code, weekend, years = years.Order().ToList(), holidays = holidays.Count, added, removed });
        await unitOfWork.CommitAsync(cancellationToken);
        await calendars.ReloadAsync(db, cancellationToken);

        // Running clocks that count on this calendar take the change: their last days are counted again.
        var moved = await mediator.Send(new RecountClocks(command.Actor, record.Code), cancellationToken);
        var calendar = calendars.Find(record.Code)!;
        return CalendarViews.From(calendar, years.Count > 0 ? [.. years.Order()] : [time.GetUtcNow().Year]) with { CasesMoved = moved };
    }

    private static HolidayRecord? ReadHoliday(string code, System.Text.Json.Nodes.JsonNode? node, string path, Dictionary<string, string[]> errors)
    {
        string? S(string name) => node is System.Text.Json.Nodes.JsonObject o && o[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
        var dateText = node is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var plain) ? plain
            : node is System.Text.Json.Nodes.JsonObject ? S("date") : null;
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year is < 1900 or > 2200)
        {
            errors[path] = ["Use a date such as 2027-01-01, or { \"date\": \"2027-03-25\", \"name\": \"Jueves Santo\", \"source\": \"the decree\" }."];
            return null;
        }

        var name = S("name") ?? string.Empty;
        var source = S("source");
        if (name.Length > 200 || name.Any(char.IsControl) || source is { Length: > 300 } || (source?.Any(char.IsControl) ?? false))
        {
            errors[path] = ["A holiday's name is at most 200 characters of text, its source at most 300."];
            return null;
        }

        var kind = S("kind") switch
        {
            null or "both" => Screening.Workflows.Calendars.HolidayKind.Both,
            "non-business" => Screening.Workflows.Calendars.HolidayKind.NonBusiness,
            "legal" => Screening.Workflows.Calendars.HolidayKind.Legal,
            _ => (Screening.Workflows.Calendars.HolidayKind?)null,
        };
        if (kind is null)
        {
            errors[$"{path}.kind"] = ["A holiday's kind is 'non-business', 'legal' or 'both'."];
            return null;
        }

        return new HolidayRecord { CalendarCode = code, Date = date, Name = name, Source = source, Kind = (int)kind };
    }
}
