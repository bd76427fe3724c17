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
            Assert.Contains("approve-with-requirements", await task.Locator("fieldset legend").TextContentAsync(), StringComparison.Ordinal);
            await task.Locator("select").SelectOptionAsync("approve-with-requirements");
            await BrowserHost.ScreenshotAsync(workspace, $"40-workspace-requirements-{name}");
        }

        // The form refuses requirements without a requirement, then sends them (Spanish, on a phone).
        var form = workspace!.Locator("[data-testid=my-task][data-step=cnie-resolution]");
        await form.Locator("textarea").First.FillAsync("Riesgo de compra estatal.");
        await form.Locator("button:has-text('Complete task')").ClickAsync();
        await workspace.WaitForSelectorAsync("p[role=status]:has-text('Some fields need attention.')");
        await BrowserHost.ScreenshotAsync(workspace, "41-workspace-requirements-missing-es-phone");
        await form.Locator("button:has-text('Add a condition')").ClickAsync();
        await form.Locator("fieldset label:has-text('Text') input").First.FillAsync("Mantener la producción de la fundidora en América del Norte");
        await form.Locator("button:has-text('Complete task')").ClickAsync();
        await workspace.WaitForSelectorAsync("p[role=status]:has-text(\"with 'approve-with-requirements'\")");

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
