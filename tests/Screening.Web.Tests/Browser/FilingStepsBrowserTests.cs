using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// The filing form one topic a page (the investor, the target business, the transaction, then the check of the
/// answers), as an applicant walks it in a real Chromium: each step checks its own answers, the draft survives
/// every step, and what is sent is what was checked. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class FilingStepsBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task AnApplicantWalksTheStepsFixesAStepsProblemChangesAnAnswerAndTheCaseHoldsWhatWasChecked()
    {
        var applicant = await host.SignInAsync(ScreeningFactory.Applicant);
        await applicant.GotoAsync("/cases/new");
        await ExpectStepAsync(applicant, 1, "Step 1 of 4 — The investor");
        await applicant.FillAsync("#investor-name", "Aurora Minerals Holdings");
        await applicant.SelectOptionAsync("#investor-country", "HK");
        await applicant.CheckAsync("#state-owned");
        await applicant.FillAsync("#ultimate-parent", "Aurora State Capital");
        await applicant.ClickAsync("[data-testid=continue]");

        // The target business: without its name, this step alone is refused, with the error summary first and focused.
        await ExpectStepAsync(applicant, 2, "Step 2 of 4 — The target business");
        await applicant.SelectOptionAsync("#jurisdiction", "CA");
        // The countries are chosen from a list: a box ticked, another found by typing part of its name and Enter.
        await applicant.CheckAsync("input[name=assetCountries][value=CA]");
        await applicant.FillAsync("#asset-countries", "zzz");
        await Assertions.Expect(applicant.Locator("[data-country-none]")).ToBeVisibleAsync();
        await applicant.FillAsync("#asset-countries", "chil");
        Assert.Equal(1, await applicant.Locator("[data-testid=asset-countries-list] label:visible").CountAsync());
        await applicant.PressAsync("#asset-countries", "Enter");
        await ExpectStepAsync(applicant, 2, "Step 2 of 4 — The target business");
        Assert.Equal("", await applicant.InputValueAsync("#asset-countries"));
        Assert.True(await applicant.IsCheckedAsync("input[name=assetCountries][value=CL]"));
        Assert.Equal("Chosen: Canada, Chile", (await applicant.TextContentAsync("[data-country-chosen]"))!.Trim());
        Assert.True(await applicant.Locator("[data-testid=asset-countries-list] label").CountAsync() > 200);
        await applicant.SelectOptionAsync("#sector", "critical-minerals");
        await applicant.CheckAsync("input[name=minerals][value=lithium]");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=form-errors]");
        await ExpectStepAsync(applicant, 2, "Step 2 of 4 — The target business");
        Assert.StartsWith("Error: Step 2 of 4 — The target business", await applicant.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal("form-errors", await applicant.EvaluateAsync<string>("() => document.activeElement.dataset.testid"));
        Assert.Equal(1, await applicant.Locator("[data-testid=form-errors] li").CountAsync());
        var link = applicant.Locator("[data-testid=form-errors] a[href$='#target-name']");
        Assert.Equal("Target: This field is required.", (await link.TextContentAsync())!.Trim());
        Assert.Equal(("true", "error-target-name"), (await applicant.GetAttributeAsync("#target-name", "aria-invalid"), await applicant.GetAttributeAsync("#target-name", "aria-describedby")));
        // What was given on this step is still there, and the link takes the applicant to the field.
        Assert.True(await applicant.IsCheckedAsync("input[name=minerals][value=lithium]"));
        Assert.True(await applicant.IsCheckedAsync("input[name=assetCountries][value=CA]"));
        Assert.True(await applicant.IsCheckedAsync("input[name=assetCountries][value=CL]"));
        Assert.Equal("Chosen: Canada, Chile", (await applicant.TextContentAsync("[data-country-chosen]"))!.Trim());
        await Axe.AssertNoSeriousViolationAsync(applicant, "the target business with a problem");
        await link.ClickAsync();
        await Assertions.Expect(applicant.Locator("#target-name")).ToBeFocusedAsync();
        await applicant.FillAsync("#target-name", "Boreal Lithium Inc.");
        await applicant.ClickAsync("[data-testid=continue]");

        await ExpectStepAsync(applicant, 3, "Step 3 of 4 — The transaction");
        Assert.Equal(0, await applicant.Locator("[data-testid=form-errors]").CountAsync());
        await applicant.SelectOptionAsync("#type", "minority-investment");
        await applicant.FillAsync("#equity", "19.4");
        await applicant.FillAsync("#value", "130000000");
        await applicant.FillAsync("#currency", "cad");
        // The closing date in three parts, the month by its name: 31 June is no date, and the form says so in its words.
        await FilingForm.FillDateAsync(applicant, "closing", 2027, 6, 31);
        Assert.Equal("June", (await applicant.Locator("#closing-month option:checked").TextContentAsync())!.Trim());
        await applicant.FillAsync("#summary", "A minority stake with an offtake agreement for concentrate.");
        await applicant.ClickAsync("[data-testid=continue]");
        await ExpectStepAsync(applicant, 3, "Step 3 of 4 — The transaction");
        var closing = applicant.Locator("[data-testid=form-errors] a[href$='#closing']");
        Assert.Equal("Planned closing: Enter a real date: a day, a month and a four-digit year.", (await closing.TextContentAsync())!.Trim());
        Assert.Equal(("true", "true", "true"), (await applicant.GetAttributeAsync("#closing", "aria-invalid"), await applicant.GetAttributeAsync("#closing-month", "aria-invalid"), await applicant.GetAttributeAsync("#closing-year", "aria-invalid")));
        Assert.Equal(("31", "6", "2027"), (await applicant.InputValueAsync("#closing"), await applicant.InputValueAsync("#closing-month"), await applicant.InputValueAsync("#closing-year")));
        await closing.ClickAsync();
        await Assertions.Expect(applicant.Locator("#closing")).ToBeFocusedAsync();
        await FilingForm.FillDateAsync(applicant, "closing", 2027, 3, 1);
        await applicant.ClickAsync("[data-testid=continue]");

        // Check your answers, step by step; Back returns to the transaction with its answers kept.
        await ExpectStepAsync(applicant, 4, "Step 4 of 4 — Check your answers");
        var check = applicant.Locator("[data-testid=check-answers]");
        Assert.Contains("Aurora Minerals Holdings", await check.TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal("130,000,000 CAD", (await check.Locator("[data-testid=filing-value]").TextContentAsync())!.Trim());
        Assert.Equal(15, await check.Locator("[data-testid=change]").CountAsync());
        await Axe.AssertNoSeriousViolationAsync(applicant, "the check of the answers");
        await applicant.ClickAsync("[data-testid=back]");
        await ExpectStepAsync(applicant, 3, "Step 3 of 4 — The transaction");
        Assert.Equal("19.4", await applicant.InputValueAsync("#equity"));
        await applicant.ClickAsync("[data-testid=continue]");
        await ExpectStepAsync(applicant, 4, "Step 4 of 4 — Check your answers");

        // "Change" opens the investor's step on its field, and Continue comes straight back to the check.
        await applicant.ClickAsync("[data-testid=change][data-path='$.investor.name']");
        await ExpectStepAsync(applicant, 1, "Step 1 of 4 — The investor");
        await Assertions.Expect(applicant.Locator("#investor-name")).ToBeFocusedAsync();
        Assert.Equal("Aurora Minerals Holdings", await applicant.InputValueAsync("#investor-name"));
        Assert.True(await applicant.IsCheckedAsync("#state-owned"));
        await applicant.FillAsync("#investor-name", "Aurora Critical Minerals Holdings");
        Assert.Equal("Continue: check my answers", (await applicant.TextContentAsync("[data-testid=continue]"))!.Trim());
        await applicant.ClickAsync("[data-testid=continue]");
        await ExpectStepAsync(applicant, 4, "Step 4 of 4 — Check your answers");
        Assert.Contains("Aurora Critical Minerals Holdings", await check.TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain((await host.As(ScreeningFactory.Applicant).Get("/api/cases").Ok()).AsArray(), c => c!["investorName"]?.GetValue<string>().StartsWith("Aurora", StringComparison.Ordinal) == true);

        await applicant.ClickAsync("[data-testid=send]");
        await applicant.WaitForURLAsync("**/receipt");
        var id = Guid.Parse(applicant.Url.Split('/')[^2]);

        // The case holds what was checked, every step's answers included.
        var record = await host.QueryAsync(db => db.Cases.SingleAsync(c => c.Id == id));
        Assert.Equal(("Aurora Critical Minerals Holdings", "Boreal Lithium Inc.", "CA"), (record.InvestorName, record.TargetName, record.HostJurisdiction));
        var filing = JsonNode.Parse(record.FilingJson)!;
        Assert.Equal("HK", filing["investor"]!["country"]!.GetValue<string>());
        Assert.True(filing["investor"]!["stateOwned"]!.GetValue<bool>());
        Assert.Equal("Aurora State Capital", filing["investor"]!["ultimateParent"]!.GetValue<string>());
        Assert.Equal(["CA", "CL"], filing["target"]!["assetCountries"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(["lithium"], filing["target"]!["minerals"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("critical-minerals", filing["target"]!["sector"]!.GetValue<string>());
        Assert.Equal("minority-investment", filing["transaction"]!["type"]!.GetValue<string>());
        Assert.Equal(19.4m, filing["transaction"]!["equityPercent"]!.GetValue<decimal>());
        Assert.Equal(130_000_000m, filing["transaction"]!["value"]!.GetValue<decimal>());
        Assert.Equal("CAD", filing["transaction"]!["currency"]!.GetValue<string>());
        Assert.Equal("2027-03-01", filing["transaction"]!["plannedClosing"]!.GetValue<string>());
        Assert.Equal("A minority stake with an offtake agreement for concentrate.", filing["summary"]!.GetValue<string>());
        Assert.Single(await host.QueryAsync(db => db.Cases.Where(c => c.InvestorName.StartsWith("Aurora")).Select(c => c.Id).ToListAsync()));
    }

    [Theory]
    [MemberData(nameof(BrowserHost.LanguagesAndWidths), MemberType = typeof(BrowserHost))]
    public async Task EveryStepReadsInTheApplicantsLanguageAndFitsAPhoneAndADesktop(string language, int width)
    {
        var applicant = await host.SignInAsync(ScreeningFactory.OtherApplicant, language, width);
        await applicant.GotoAsync("/cases/new");
        await ShowsAsync(applicant, language, width, "1-investor");
        await applicant.FillAsync("#investor-name", "Capital Boréal");
        await applicant.SelectOptionAsync("#investor-country", "CA");
        await applicant.FillAsync("#ultimate-parent", "Fonds Boréal");
        await applicant.ClickAsync("[data-testid=continue]");
        await ShowsAsync(applicant, language, width, "2-target");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=form-errors]");
        Assert.StartsWith(language == "fr" ? "Erreur :" : "Error:", await applicant.TitleAsync(), StringComparison.Ordinal);
        await ShowsAsync(applicant, language, width, "2-target-problems");
        await applicant.FillAsync("#target-name", "Cuivre Laurentien inc.");
        await applicant.SelectOptionAsync("#jurisdiction", "CA");
        // Case and accents do not count in the search: "CANADÁ" finds Canada, Canadá in Spanish.
        await applicant.FillAsync("#asset-countries", "CANADÁ");
        await applicant.PressAsync("#asset-countries", "Enter");
        Assert.True(await applicant.IsCheckedAsync("input[name=assetCountries][value=CA]"));
        await applicant.SelectOptionAsync("#sector", "critical-minerals");
        await applicant.CheckAsync("input[name=minerals][value=copper]");
        await applicant.ClickAsync("[data-testid=continue]");
        await ShowsAsync(applicant, language, width, "3-transaction");
        await applicant.SelectOptionAsync("#type", "minority-investment");
        await applicant.FillAsync("#equity", "5");
        await applicant.FillAsync("#value", "1000000");
        await applicant.FillAsync("#currency", "CAD");
        await FilingForm.FillDateAsync(applicant, "closing", 2027, 6, 30);
        await applicant.FillAsync("#summary", "Participation passive dans un producteur de cuivre.");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=check-answers]");
        await ShowsAsync(applicant, language, width, "4-check");
    }

    /// <summary>The step shown: its heading, its place in the progress list, and the page's title.</summary>
    private static async Task ExpectStepAsync(IPage page, int step, string heading)
    {
        await Assertions.Expect(page.Locator("[data-testid=step-heading]")).ToHaveTextAsync(heading);
        await Assertions.Expect(page.Locator("[data-testid=progress] li[aria-current=step]")).ToHaveCountAsync(1);
        Assert.Equal(step, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('[data-testid=progress] li')].findIndex(li => li.getAttribute('aria-current') === 'step') + 1"));
        Assert.EndsWith($"{heading} — File a proposed investment", await page.TitleAsync(), StringComparison.Ordinal);
    }

    /// <summary>A step as its reader sees it: no English left, nothing wider than the screen, no serious axe violation.</summary>
    private static async Task ShowsAsync(IPage page, string language, int width, string name)
    {
        await page.WaitForSelectorAsync("[data-testid=step-heading]");
        if (language != "en")
        {
            await EnglishLeft.AssertNoneAsync(page, language, $"the filing's step {name}");
        }

        Assert.True(await BrowserHost.FitsScreenAsync(page), $"Step {name} is wider than a {width} px screen.");
        await Axe.AssertNoSeriousViolationAsync(page, $"step {name} ({language}, {width} px)");
        await BrowserHost.ScreenshotAsync(page, $"filing-{name}-{language}-{width}");
    }
}
