using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// Officials work in their own language: a Mexican officer and the CNIE review a case entirely in Spanish, a
/// Canadian officer in French, and an administrator's pages read in both, with no English left on any page they
/// see (the engine's technical trace, marked as English, aside). A host of its own: the queues must hold only these cases.
/// </summary>
public sealed class OfficialsLanguageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task AMexicanOfficerAndTheCnieReviewACaseEntirelyInSpanish()
    {
        var filing = Scenario.LowRiskMx();
        filing["investor"]!["name"] = "Cobre del Norte SA";
        filing["target"]!["name"] = "Minera Sierra Alta";
        filing["summary"] = "Participación pasiva del 5 % en una productora de cobre.";
        var id = await new Scenario(host).FileAsync(filing);
        var reference = (await new Scenario(host).CaseAsync(ScreeningFactory.Applicant, id)).S("reference");

        var officer = await host.SignInAsync(ScreeningFactory.OfficerMx, "es");
        await officer.GotoAsync("/queue");
        await officer.Locator("[data-testid=queue-row][data-step=intake-review]", new PageLocatorOptions { HasText = reference }).WaitForAsync();
        Assert.Equal("Bandeja de revisión — México", await officer.TextContentAsync("h1"));
        await Assertions.Expect(officer).ToHaveTitleAsync("Bandeja de revisión"); // an interactive page's own title, not the app's
        Assert.Contains("Cobre del Norte SA → Minera Sierra Alta", await officer.TextContentAsync("[data-testid=queue]"), StringComparison.Ordinal);
        Assert.Matches(@"quedan \d+ días|vence hoy", await officer.Locator("[data-testid=queue-row]", new() { HasText = reference }).Locator("[data-testid=days-left]").TextContentAsync());
        await EnglishLeft.AssertNoneAsync(officer, "es", "the queue");
        await BrowserHost.ScreenshotAsync(officer, "50-queue-es");

        // The queue searches by investor and target and sorts by what officers ask for.
        await officer.FillAsync("#search", "sierra alta");
        await Assertions.Expect(officer.Locator("[data-testid=queue-row]")).ToHaveCountAsync(1);
        await officer.FillAsync("#search", "nadie");
        await Assertions.Expect(officer.Locator("[data-testid=queue-row]")).ToHaveCountAsync(0);
        Assert.Equal("Ninguna tarea coincide con la búsqueda y los filtros.", await officer.TextContentAsync("main > p:not(.legend)"));
        await officer.FillAsync("#search", "");
        await officer.SelectOptionAsync("#sort", "received");

        await OfficialPages.ClaimFromQueueAsync(officer, reference, "intake-review", "51-queue-claimed-es");
        await officer.GotoAsync($"/review/{id}");
        var intake = officer.Locator("[data-testid=my-task][data-step=intake-review]");
        await intake.WaitForAsync();
        Assert.Equal("Certificar que la solicitud está completa", await intake.Locator("h2").TextContentAsync());
        Assert.Equal(["", "certify", "deficient"], await intake.Locator("select option").EvaluateAllAsync<string[]>("o => o.map(x => x.value)"));
        Assert.Equal("Completa: certificar", await intake.Locator("select option[value=certify]").TextContentAsync());
        // Business language: the filing's amount with its currency, yes and no, labels rather than codes.
        Assert.Equal("No", (await officer.TextContentAsync("dl.facts dt:has-text('De propiedad estatal') + dd"))!.Trim());
        Assert.DoesNotContain("false", await officer.TextContentAsync("dl.facts"), StringComparison.Ordinal);
        await EnglishLeft.AssertNoneAsync(officer, "es", "the workspace before certification");
        await BrowserHost.ScreenshotAsync(officer, "52-workspace-intake-es");
        await OfficialPages.CompleteAsync(officer, id, "intake-review", "certify", "Solicitud completa.", null);

        await OfficialPages.ClaimInWorkspaceAsync(officer, "host-review");
        await EnglishLeft.AssertNoneAsync(officer, "es", "the workspace in review");
        await BrowserHost.ScreenshotAsync(officer, "53-workspace-review-es");
        await OfficialPages.CompleteAsync(officer, id, "host-review", "recommend-clear", "Sin riesgos para la seguridad nacional.", null);

        var cnie = await host.SignInAsync(ScreeningFactory.DecisionMx, "es", 390);
        await cnie.GotoAsync($"/review/{id}");
        await OfficialPages.ClaimInWorkspaceAsync(cnie, "cnie-resolution");
        await EnglishLeft.AssertNoneAsync(cnie, "es", "the CNIE's workspace");
        var resolution = cnie.Locator("[data-testid=my-task][data-step=cnie-resolution]");
        await resolution.Locator("select").SelectOptionAsync("approve");
        await resolution.Locator("[data-testid=complete]").ClickAsync();
        await resolution.Locator("[data-testid=confirm-decision]").WaitForAsync();
        await EnglishLeft.AssertNoneAsync(cnie, "es", "the decision's confirmation");
        await BrowserHost.ScreenshotAsync(cnie, "54-cnie-confirm-es-phone");
        await resolution.Locator("[data-testid=confirm]").ClickAsync();
        await cnie.WaitForSelectorAsync("[data-testid=decision]");
        Assert.Contains("Autorizado", await cnie.TextContentAsync("[data-testid=decision]"), StringComparison.Ordinal);
        await EnglishLeft.AssertNoneAsync(cnie, "es", "the decided case");
        await BrowserHost.ScreenshotAsync(cnie, "55-cnie-decided-es-phone");

        await cnie.GotoAsync("/dashboard");
        await cnie.WaitForSelectorAsync("[data-testid=due-this-week]");
        await EnglishLeft.AssertNoneAsync(cnie, "es", "the dashboard");
    }

    [Fact]
    public async Task ACanadianOfficerReviewsACaseEntirelyInFrench()
    {
        var filing = Scenario.LowRiskCa();
        filing["investor"]!["name"] = "Capital Boréal";
        filing["target"]!["name"] = "Cuivre Laurentien inc.";
        filing["summary"] = "Participation passive de 5 % dans un producteur de cuivre.";
        var id = await new Scenario(host).FileAsync(filing);
        var reference = (await new Scenario(host).CaseAsync(ScreeningFactory.Applicant, id)).S("reference");

        var officer = await host.SignInAsync(ScreeningFactory.OfficerCa, "fr");
        await officer.GotoAsync("/queue");
        await officer.Locator("[data-testid=queue-row][data-step=intake-review]", new PageLocatorOptions { HasText = reference }).WaitForAsync();
        await EnglishLeft.AssertNoneAsync(officer, "fr", "the queue");
        await BrowserHost.ScreenshotAsync(officer, "56-queue-fr");
        await OfficialPages.ClaimFromQueueAsync(officer, reference, "intake-review", "57-queue-claimed-fr");
        await officer.GotoAsync($"/review/{id}");
        await officer.Locator("[data-testid=my-task][data-step=intake-review]").WaitForAsync();
        // Before certification no period runs and no triage exists: the page says so instead of showing empty cards.
        Assert.Contains("Aucun délai légal ne court encore", await officer.TextContentAsync("main"), StringComparison.Ordinal);
        await EnglishLeft.AssertNoneAsync(officer, "fr", "the workspace before certification");
        await OfficialPages.CompleteAsync(officer, id, "intake-review", "certify", "Dossier complet.", null);
        await OfficialPages.ClaimInWorkspaceAsync(officer, "host-review");
        Assert.Contains("Canada", await officer.TextContentAsync("[data-testid=clock]"), StringComparison.Ordinal);
        await EnglishLeft.AssertNoneAsync(officer, "fr", "the workspace in review");
        await BrowserHost.ScreenshotAsync(officer, "58-workspace-review-fr");
        await OfficialPages.CompleteAsync(officer, id, "host-review", "recommend-clear", "Aucune préoccupation.", null);
        await EnglishLeft.AssertNoneAsync(officer, "fr", "the workspace after the review");
    }

    [Theory]
    [InlineData("fr", 1280)]
    [InlineData("es", 390)]
    public async Task AnAdministratorsPagesReadInFrenchAndSpanish(string language, int width)
    {
        var admin = await host.SignInAsync(ScreeningFactory.Admin, language, width);
        foreach (var (path, ready) in new[]
        {
            ("/admin", "h1"), ("/admin/definitions", "[data-testid=definitions]"), ("/admin/definitions/bilateral-screening", "[data-testid=no-problems]"),
            ("/admin/calendars", "[data-testid=holidays]"), ("/admin/users", "[data-testid=users]"), ("/admin/incidents", "h1"), ("/dashboard", "[data-testid=due-this-week]"),
            ("/no/such/page", "[data-testid=not-found]"),
        })
        {
            await admin.GotoAsync(path);
            await admin.WaitForSelectorAsync(ready);
            await EnglishLeft.AssertNoneAsync(admin, language, path);
            await BrowserHost.ScreenshotAsync(admin, $"6-admin{path.Replace('/', '-')}-{language}-{width}");
        }
    }
}
