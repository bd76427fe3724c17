using System.Globalization;

namespace Screening.Web.Components.Shared;

/// <summary>
/// Dates, times, amounts and numbers in the reader's language, in formats no reader can misread (<c>1 Dec 2026</c>,
/// <c>1 déc. 2026</c>, <c>1 dic 2026</c>), and times in the local time of the jurisdiction whose case it is.
/// </summary>
public static class Format
{
    private static readonly Dictionary<string, (TimeZoneInfo Zone, string City)> Zones = new(StringComparer.Ordinal)
    {
        ["CA"] = (TimeZoneInfo.FindSystemTimeZoneById("America/Toronto"), "Ottawa"),
        ["MX"] = (TimeZoneInfo.FindSystemTimeZoneById("America/Mexico_City"), "Ciudad de México"),
    };

    /// <summary>The reader's language: <c>en</c>, <c>fr</c> or <c>es</c>.</summary>
    public static string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    private static string DayMonthYear(DateTime date) => date.ToString("d MMM yyyy", CultureInfo.CurrentCulture);

    public static string Date(string? isoDate) =>
        DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? DayMonthYear(date.ToDateTime(TimeOnly.MinValue))
            : isoDate ?? string.Empty;

    /// <summary>The day of an instant in the jurisdiction's local time (UTC when none is given).</summary>
    public static string Date(DateTimeOffset? instant, string? jurisdiction = null) =>
        instant is { } at ? DayMonthYear(Local(at, jurisdiction).DateTime) : string.Empty;

    /// <summary>An instant as the day and time in the jurisdiction's local time, saying whose time it is.</summary>
    public static string DateTime(DateTimeOffset instant, string? jurisdiction = null)
    {
        var local = Local(instant, jurisdiction);
        var where = jurisdiction is not null && Zones.TryGetValue(jurisdiction, out var zone) ? zone.City : "UTC";
        return $"{DayMonthYear(local.DateTime)}, {local.ToString("HH:mm", CultureInfo.InvariantCulture)} ({where})";
    }

    /// <summary>The calendar day an instant falls on in the jurisdiction's local time.</summary>
    public static DateOnly Day(DateTimeOffset instant, string? jurisdiction) => DateOnly.FromDateTime(Local(instant, jurisdiction).DateTime);

    /// <summary>Whole days from today to a due instant's day, both in the jurisdiction's local time (negative once past).</summary>
    public static int DaysUntil(DateTimeOffset due, DateTimeOffset now, string jurisdiction) =>
        Day(due, jurisdiction).DayNumber - Day(now, jurisdiction).DayNumber;

    /// <summary>An amount in the reader's digit grouping with its ISO currency code (<c>250,000,000 CAD</c>, <c>250 000 000 CAD</c>).</summary>
    public static string Money(decimal amount, string? currency) =>
        $"{amount.ToString(amount == decimal.Truncate(amount) ? "N0" : "N2", CultureInfo.CurrentCulture)} {currency}".Trim();

    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.CurrentCulture);

    private static DateTimeOffset Local(DateTimeOffset instant, string? jurisdiction) =>
        jurisdiction is not null && Zones.TryGetValue(jurisdiction, out var zone) ? TimeZoneInfo.ConvertTime(instant, zone.Zone) : instant.ToUniversalTime();
}
