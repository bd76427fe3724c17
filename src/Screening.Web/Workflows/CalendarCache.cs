using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Workflows.Calendars;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>
/// The stored calendars, held in memory for the engine (which asks synchronously in the middle of a step)
/// and reloaded whenever an administrator changes one.
/// </summary>
public sealed class CalendarCache : ICalendarProvider
{
    private volatile ConcurrentDictionary<string, BusinessCalendar> _calendars = new();

    public BusinessCalendar? Find(string code) => _calendars.TryGetValue(code, out var calendar) ? calendar : null;

    public IReadOnlyCollection<BusinessCalendar> All => [.. _calendars.Values.OrderBy(c => c.Code, StringComparer.Ordinal)];

    /// <summary>Reloads every calendar from the database.</summary>
    public async Task ReloadAsync(ScreeningDbContext db, CancellationToken cancellationToken)
    {
        var records = await db.Calendars.AsNoTracking().Include(c => c.Holidays).ToListAsync(cancellationToken);
        var fresh = new ConcurrentDictionary<string, BusinessCalendar>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            fresh[record.Code] = ToCalendar(record);
        }

        _calendars = fresh;
    }

    public static BusinessCalendar ToCalendar(CalendarRecord record) => new(
        record.Code,
        record.Name,
        [.. ParseWeekend(record.Weekend)],
        record.Holidays.Select(h => new Holiday(h.Date, h.Name, h.Source, (HolidayKind)h.Kind)),
        record.LegalWeekdays is null ? null : ParseWeekend(record.LegalWeekdays),
        record.TimeZone);

    public static IEnumerable<DayOfWeek> ParseWeekend(string weekend) =>
        weekend.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => (DayOfWeek)int.Parse(d, System.Globalization.CultureInfo.InvariantCulture));
}
