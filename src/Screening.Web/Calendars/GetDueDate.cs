using System.Globalization;
using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;

namespace Screening.Web.Calendars;

public sealed record DueDateView(string DueDate, string Unit, int Days, string Start);

/// <summary>The date a number of days after a start, counted in a calendar's unit; every bad parameter is reported at once.</summary>
public sealed record GetDueDate(string Code, string? Start, string? Days, string? Unit) : IQuery<DueDateView>;

public sealed class GetDueDateHandler(CalendarCache calendars) : IQueryHandler<GetDueDate, DueDateView>
{
    public ValueTask<DueDateView> Handle(GetDueDate query, CancellationToken cancellationToken)
    {
        var calendar = calendars.Find(query.Code) ?? throw new NotFoundException($"There is no calendar '{query.Code}'.");
        var errors = new Dictionary<string, string[]>();
        if (!DateOnly.TryParseExact(query.Start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var startDate) || startDate.Year is < 1900 or > 2200)
        {
            errors["start"] = ["Give the start as a date such as 2027-01-04."];
        }

        if (!int.TryParse(query.Days, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > BusinessCalendar.MaxDays)
        {
            errors["days"] = [$"Give a whole number of days from 0 to {BusinessCalendar.MaxDays}."];
        }

        if (!DayUnits.TryParse(query.Unit ?? "calendar", out var dayUnit))
        {
            errors["unit"] = ["The unit is 'business', 'calendar' or 'calendar-rolling'."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var due = calendar.AddDays(startDate, count, dayUnit);
        return ValueTask.FromResult(new DueDateView(due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dayUnit.ToWire(), count, startDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }
}
