using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Screening.Workflows.Calendars;

namespace Screening.Web.Calendars;

/// <summary>A named holiday: a non-business day (<c>holidays</c>), a legal holiday (<c>legalHolidays</c>), or both.</summary>
public sealed record NamedHolidayView(string Date, string Name, string? Source, [property: AllowedValues("non-business", "legal", "both")] string Kind);

/// <summary>
/// A calendar: its non-business holidays (<c>holidays</c>), its legal holidays for time limits (<c>legalHolidays</c>,
/// beside the weekdays that are legal holidays every week), and every holiday with its name and source (<c>named</c>).
/// </summary>
public sealed record CalendarView(string Code, string Name, IReadOnlyList<int> Weekend, IReadOnlyList<string> Holidays, string TimeZone)
{
    public IReadOnlyList<int> LegalWeekdays { get; init; } = [];

    public IReadOnlyList<string> LegalHolidays { get; init; } = [];

    public IReadOnlyList<NamedHolidayView> Named { get; init; } = [];

    /// <summary>After a change: how many running cases had a last day moved by it.</summary>
    public int? CasesMoved { get; init; }
}

public static class CalendarViews
{
    public static CalendarView From(BusinessCalendar calendar, IReadOnlyCollection<int> years) => new(
        calendar.Code,
        calendar.Name,
        [.. calendar.Weekend.Select(d => (int)d).OrderByDescending(d => d == 6).ThenBy(d => d)],
        [.. calendar.Holidays.Where(h => years.Contains(h.Year)).Select(Iso)],
        calendar.TimeZoneId)
    {
        LegalWeekdays = [.. calendar.LegalWeekdays.Select(d => (int)d)],
        LegalHolidays = [.. calendar.LegalHolidays.Where(h => years.Contains(h.Year)).Select(Iso)],
        Named = [.. calendar.Named.Where(h => years.Contains(h.Date.Year)).Select(h => new NamedHolidayView(Iso(h.Date), h.Name, h.Source, Kind(h.Kind)))],
    };

    private static string Kind(HolidayKind kind) => kind switch
    {
        HolidayKind.NonBusiness => "non-business",
        HolidayKind.Legal => "legal",
        _ => "both",
    };

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
