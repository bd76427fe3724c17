using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// An administrator adds a holiday and removes it again in French, in a real Chromium: the date as a day and a
/// month of the year shown, a day that does not exist refused in the page's words, and each change confirmed
/// first with the number of running cases whose periods it may move. Nothing is stored before the confirmation.
/// </summary>
public sealed class CalendarBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly DateOnly Day = new(2028, 3, 2);

    private Task<List<HolidayRow>> StoredAsync() =>
        host.QueryAsync(db => db.Set<Screening.Web.Persistence.HolidayRecord>().AsNoTracking()
            .Where(h => h.CalendarCode == "CA" && h.Date == Day).Select(h => new HolidayRow(h.Date, h.Name)).ToListAsync());

    [Fact]
    public async Task AHolidayIsAddedAndRemovedInFrenchEachChangeConfirmedWithTheCasesItMoves()
    {
        // One certified Canadian case, whose statutory period counts on the Canadian calendar.
        await new CaseSteps(host).FileCertifiedAsync(Scenario.LowRiskCa());
        var admin = await host.SignInAsync(ScreeningFactory.Admin, "fr");
        await admin.GotoAsync("/admin/calendars");
        await admin.WaitForSelectorAsync("[data-testid=holidays]");
        await admin.FillAsync("#year", "2028");
        await admin.PressAsync("#year", "Tab");
        await Assertions.Expect(admin.Locator("fieldset.add-holiday legend")).ToHaveTextAsync("Ajouter un jour férié en 2028");
        Assert.Equal("mars", (await admin.Locator("#new-holiday-month option[value='3']").TextContentAsync())!.Trim());

        // 30 February does not exist: refused beside the fields, nothing asked, nothing stored.
        await admin.FillAsync("#new-holiday", "30");
        await admin.SelectOptionAsync("#new-holiday-month", "2");
        await admin.ClickAsync("[data-testid=add]");
        await Assertions.Expect(admin.Locator("#new-holiday-error")).ToHaveTextAsync("Saisissez un jour et un mois qui existent en 2028.");
        Assert.Equal("true", await admin.GetAttributeAsync("#new-holiday", "aria-invalid"));
        Assert.Equal(0, await admin.Locator("[data-testid=confirm-holidays]").CountAsync());

        await admin.FillAsync("#new-holiday", "2");
        await admin.SelectOptionAsync("#new-holiday-month", "3");
        await admin.FillAsync("#new-holiday-name", "Jour d'essai");
        await admin.ClickAsync("[data-testid=add]");
        var confirm = admin.Locator("[data-testid=confirm-holidays]");
        await Assertions.Expect(confirm.Locator("h2")).ToContainTextAsync("2 mars 2028");
        await Assertions.Expect(confirm.Locator("[data-testid=cases-on-calendar]")).ToContainTextAsync("1 dossier en cours compte ses délais sur ce calendrier");
        Assert.Equal(0, await admin.Locator("#new-holiday-error").CountAsync());
        await EnglishLeft.AssertNoneAsync(admin, "fr", "the calendar's confirmation");
        await Axe.AssertNoSeriousViolationAsync(admin, "the calendar's confirmation");
        await BrowserHost.ScreenshotAsync(admin, "calendar-confirm-add-fr");
        Assert.Empty(await StoredAsync());

        await admin.ClickAsync("[data-testid=confirm]");
        var row = admin.Locator("[data-testid=holidays] tr", new() { HasText = "Jour d'essai" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Equal([new HolidayRow(Day, "Jour d'essai")], await StoredAsync());

        await row.Locator("[data-testid=remove]").ClickAsync();
        await Assertions.Expect(confirm.Locator("h2")).ToContainTextAsync("Jour d'essai");
        Assert.Single(await StoredAsync());
        await admin.ClickAsync("[data-testid=confirm]");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Empty(await StoredAsync());
    }

    private sealed record HolidayRow(DateOnly Date, string Name);
}
