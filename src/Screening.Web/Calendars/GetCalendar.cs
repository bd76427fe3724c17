using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Workflows;

namespace Screening.Web.Calendars;

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
