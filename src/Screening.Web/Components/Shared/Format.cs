using System.Globalization;

namespace Screening.Web.Components.Shared;

/// <summary>Dates in the reader's language.</summary>
public static class Format
{
    public static string Date(string? isoDate) =>
        DateOnly.TryParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("D", CultureInfo.CurrentCulture)
            : isoDate ?? string.Empty;

    public static string Date(DateTimeOffset? instant) => instant?.ToString("D", CultureInfo.CurrentCulture) ?? string.Empty;

    public static string DateTime(DateTimeOffset instant) => instant.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
