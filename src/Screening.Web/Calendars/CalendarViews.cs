using System.Globalization;
using Screening.Workflows.Calendars;

namespace Screening.Web.Calendars;

public sealed record CalendarView(string Code, string Name, IReadOnlyList<int> Weekend, IReadOnlyList<string> Holidays, string TimeZone);

public static class CalendarViews
{
    public static CalendarView From(BusinessCalendar calendar, IReadOnlyCollection<int> years) => new(
        calendar.Code,
        calendar.Name,
        [.. calendar.Weekend.Select(d => (int)d).OrderByDescending(d => d == 6).ThenBy(d => d)],
        [.. calendar.Holidays.Where(h => years.Contains(h.Year)).Select(h => h.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))],
        calendar.TimeZoneId);
}
