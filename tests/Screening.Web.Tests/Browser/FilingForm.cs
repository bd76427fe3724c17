using Microsoft.Playwright;

namespace Screening.Web.Tests.Browser;

/// <summary>What an applicant does on the filing form more than once.</summary>
public static class FilingForm
{
    /// <summary>Types a date into the day, month and year of a date field (the month chosen by its number).</summary>
    public static async Task FillDateAsync(IPage page, string id, int year, int month, int day)
    {
        await page.FillAsync($"#{id}", day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync($"#{id}-month", month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync($"#{id}-year", year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
