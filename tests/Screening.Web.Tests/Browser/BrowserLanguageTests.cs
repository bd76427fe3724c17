using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// The pages a decision touches, in English, French and Spanish on a desktop and a phone: the decision-maker's
/// workspace with the conditions an outcome needs, and the applicant's case with who decided and on what basis.
/// A host of its own, because the case's decision waits for time to pass. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class BrowserLanguageTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly Dictionary<string, string> RequirementsLabel = new()
    {
        ["en"] = "Approve with requirements",
        ["fr"] = "Approuver avec exigences",
        ["es"] = "Aprobar con requisitos",
    };

    private static readonly (string Language, int Width, string Name)[] Views =
        [("en", 1280, "en-desktop"), ("fr", 1280, "fr-desktop"), ("es", 1280, "es-desktop"), ("en", 390, "en-phone"), ("fr", 390, "fr-phone"), ("es", 390, "es-phone")];

    [Fact]
    public async Task TheCnieRequirementsAreAskedForInTheWorkspaceAndTheApplicantReadsTheDecisionInEachLanguage()
    {
        var scenario = new Scenario(host);
        var id = await scenario.FileAsync(Scenario.JointMx(), ScreeningFactory.OtherApplicant);
        await scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "intake-review", "certify");
        await scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "joint-review-ca", "recommend-clear");
        await scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "joint-review-mx", "recommend-conditions");
        var resolution = await scenario.TaskAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution");
        await host.As(ScreeningFactory.DecisionMx).Post($"/api/tasks/{resolution.S("id")}/claim").Ok();

        IPage? workspace = null;
        foreach (var (language, width, name) in Views)
        {
            workspace = await host.SignInAsync(ScreeningFactory.DecisionMx, language, width);
            await workspace.GotoAsync($"/review/{id}");
            var task = workspace.Locator("[data-testid=my-task][data-step=cnie-resolution]");
            await task.WaitForAsync();
            // The outcome is named in the reader's language, as the definition words it.
            Assert.Contains(RequirementsLabel[language], await task.Locator("fieldset legend").TextContentAsync(), StringComparison.Ordinal);
            await task.Locator("select").SelectOptionAsync("approve-with-requirements");
            await BrowserHost.ScreenshotAsync(workspace, $"40-workspace-requirements-{name}");
        }

        // The form refuses requirements without a requirement, then sends them (Spanish, on a phone).
        var form = workspace!.Locator("[data-testid=my-task][data-step=cnie-resolution]");
        await form.Locator("textarea").First.FillAsync("Riesgo de compra estatal.");
        await form.Locator("[data-testid=complete]").ClickAsync();
        await workspace.WaitForSelectorAsync("p[role=status]:has-text('Algunos campos deben corregirse')");
        Assert.Contains("«Aprobar con requisitos» requiere al menos una condición", await form.Locator(".field-error").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await form.Locator("[data-testid=confirm-decision]").CountAsync());
        await BrowserHost.ScreenshotAsync(workspace, "41-workspace-requirements-missing-es-phone");
        await form.Locator("[data-testid=add-condition]").ClickAsync();
        await form.Locator("[data-testid=condition-text]").First.FillAsync("Mantener la producción de la fundidora en América del Norte");
        await form.Locator("[data-testid=complete]").ClickAsync();

        // The decision is confirmed on a page that shows what will be recorded before it is.
        var confirm = form.Locator("[data-testid=confirm-decision]");
        await confirm.WaitForAsync();
        Assert.Equal("Aprobar con requisitos", (await confirm.Locator("[data-testid=confirm-outcome]").TextContentAsync())!.Trim());
        Assert.Contains("Mantener la producción de la fundidora en América del Norte", await confirm.TextContentAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(workspace, "41b-workspace-confirm-decision-es-phone");
        // Nothing is recorded until the decision-maker confirms.
        Assert.Equal("claimed", (await host.As(ScreeningFactory.DecisionMx).Get($"/api/tasks/{resolution.S("id")}").Ok()).S("status"));
        await confirm.Locator("[data-testid=confirm]").ClickAsync();
        await workspace.WaitForSelectorAsync("p[role=status]:has-text('«Resolución de la CNIE» concluida: Aprobar con requisitos.')");

        await scenario.AdvanceAsync(46); // Canada's initial period ends: the case's decision is the most restrictive

        var expected = new Dictionary<string, (string Outcome, string Authority, string MexicosDecision)>
        {
            ["en"] = ("Cleared with conditions", "Resolved by the CNIE", "Decision (Mexico): Cleared with conditions"),
            ["fr"] = ("Autorisé sous conditions", "Résolution de la CNIE", "Décision (Mexique): Autorisé sous conditions"),
            ["es"] = ("Autorizado con condiciones", "Resolución de la CNIE", "Resolución (México): Autorizado con condiciones"),
        };
        foreach (var (language, width, name) in Views)
        {
            var applicant = await host.SignInAsync(ScreeningFactory.OtherApplicant, language, width);
            await applicant.GotoAsync($"/cases/{id}");
            var decision = (await applicant.TextContentAsync("[data-testid=decision]"))!;
            Assert.Contains(expected[language].Outcome, decision, StringComparison.Ordinal);
            Assert.StartsWith(expected[language].Authority, (await applicant.TextContentAsync("[data-testid=decision-authority]"))!, StringComparison.Ordinal);
            Assert.Contains("Mantener la producción de la fundidora en América del Norte", decision, StringComparison.Ordinal);
            // Where two governments decide, the timeline says whose each decision was.
            Assert.Contains(expected[language].MexicosDecision, await applicant.TextContentAsync("ol.timeline"), StringComparison.Ordinal);
            await BrowserHost.ScreenshotAsync(applicant, $"42-applicant-decision-{name}");
        }
    }
}
