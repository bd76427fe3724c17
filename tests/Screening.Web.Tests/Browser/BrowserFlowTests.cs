using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// The flows of each kind of user in a real headless Chromium against the host on a loopback port.
/// Screenshots of every page land in TestResults/screenshots.
/// </summary>
public sealed class BrowserFlowTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task ACaseTravelsFromASpanishFilingThroughBothGovernmentsToADecisionTheApplicantSees()
    {
        // The applicant files in Spanish.
        var applicant = await host.SignInAsync(ScreeningFactory.Applicant, language: "es");
        await applicant.GotoAsync("/cases/new");
        Assert.Equal("Presentar una inversión propuesta", await applicant.TextContentAsync("h1"));
        await applicant.FillAsync("#investor-name", "Harbour Resources <script>alert('x')</script>");
        await applicant.SelectOptionAsync("#investor-country", "HK");
        await applicant.CheckAsync("#state-owned");
        await applicant.FillAsync("#ultimate-parent", "State Minerals Investment Corp.");
        await BrowserHost.ScreenshotAsync(applicant, "01-applicant-filing-es");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.FillAsync("#target-name", "Boreal Litio");
        await applicant.SelectOptionAsync("#jurisdiction", "CA");
        await applicant.CheckAsync("input[name=assetCountries][value=CA]");
        await applicant.CheckAsync("input[name=assetCountries][value=CL]");
        await applicant.SelectOptionAsync("#sector", "critical-minerals");
        await applicant.CheckAsync("input[name=minerals][value=lithium]");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.SelectOptionAsync("#type", "minority-investment");
        await applicant.FillAsync("#equity", "19,4");
        await applicant.FillAsync("#value", "130000000");
        await applicant.FillAsync("#currency", "cad");
        await FilingForm.FillDateAsync(applicant, "closing", 2027, 3, 1);
        await applicant.FillAsync("#summary", "Participación minoritaria con contrato de compra de concentrado.");
        await applicant.ClickAsync("[data-testid=continue]");

        // Nothing is filed before the applicant has checked it whole, as officials will read it.
        var check = applicant.Locator("[data-testid=check-answers]");
        await check.WaitForAsync();
        Assert.StartsWith("Paso 4 de 4 — Revisar sus respuestas", await applicant.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal("130.000.000 CAD", (await check.Locator("[data-testid=filing-value]").TextContentAsync())!.Replace('\u00a0', ' ').Replace('\u202f', ' '));
        Assert.Contains("Litio", await check.TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain((await host.As(ScreeningFactory.Applicant).Get("/api/cases").Ok()).AsArray(), c => c!["investorName"]?.GetValue<string>().StartsWith("Harbour Resources <script>", StringComparison.Ordinal) == true);
        await BrowserHost.ScreenshotAsync(applicant, "01b-applicant-check-answers-es");
        await applicant.ClickAsync("[data-testid=change][data-path='$.target.name']");
        await applicant.WaitForSelectorAsync("#target-name:visible");
        Assert.Equal("Boreal Litio", await applicant.InputValueAsync("#target-name"));
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.ClickAsync("[data-testid=send]");
        await applicant.WaitForURLAsync("**/receipt");
        var reference = (await applicant.TextContentAsync("[data-testid=reference]"))!;
        Assert.StartsWith("SCR-2027-", reference, StringComparison.Ordinal);
        Assert.Contains("Acuse de recibo", await applicant.TextContentAsync("h1"), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(applicant, "02-applicant-receipt-es");
        var caseId = applicant.Url.Split('/')[^2];
        await applicant.GotoAsync($"/cases/{caseId}");
        Assert.Equal("Presentado", (await applicant.TextContentAsync("[data-testid=status]"))!.Trim());
        await BrowserHost.ScreenshotAsync(applicant, "03-applicant-case-submitted-es");

        // Canada's officer claims from the queue and certifies completeness.
        var officerCa = await host.SignInAsync(ScreeningFactory.OfficerCa);
        await OfficialPages.ClaimFromQueueAsync(officerCa, reference, "intake-review", "04-officer-ca-queue");
        await OfficialPages.CompleteAsync(officerCa, caseId, "intake-review", "certify", "Complete.", "05-officer-ca-workspace");

        // The script typed in the filing is shown as text to the officer.
        Assert.Contains("<script>alert('x')</script>", await officerCa.TextContentAsync("main"), StringComparison.Ordinal);
        Assert.Equal(0, await officerCa.Locator("main script").CountAsync());

        // Mexico's officer comments within the consultation.
        var officerMx = await host.SignInAsync(ScreeningFactory.OfficerMx);
        await OfficialPages.ClaimFromQueueAsync(officerMx, reference, "partner-consultation", "06-officer-mx-queue");
        await OfficialPages.CompleteAsync(officerMx, caseId, "partner-consultation", "comment", "México observa vínculos con un comprador estatal.", "07-officer-mx-workspace");

        // Canada reviews and refers, records how the comment was considered; the Minister sends a s. 25.2 notice,
        // and after the notice's review gives notice that no order will be made.
        await officerCa.GotoAsync($"/review/{caseId}");
        await OfficialPages.ClaimInWorkspaceAsync(officerCa, "host-review");
        await OfficialPages.CompleteAsync(officerCa, caseId, "host-review", "escalate", "Possible injury: the Minister should decide.", null);
        await OfficialPages.ClaimInWorkspaceAsync(officerCa, "consider-partner-comments");
        await OfficialPages.CompleteAsync(officerCa, caseId, "consider-partner-comments", "considered", "Mexico's concern addressed by the offtake terms.", "08-officer-ca-consider");
        var decisionMaker = await host.SignInAsync(ScreeningFactory.DecisionCa);
        await OfficialPages.ClaimFromQueueAsync(decisionMaker, reference, "minister-initial", "09-decision-maker-queue");
        await OfficialPages.CompleteAsync(decisionMaker, caseId, "minister-initial", "send-notice", "Notice under s. 25.2 sent.", "10-decision-maker-notice");
        await officerCa.GotoAsync($"/review/{caseId}");
        await OfficialPages.ClaimInWorkspaceAsync(officerCa, "notice-review");
        await OfficialPages.CompleteAsync(officerCa, caseId, "notice-review", "recommend-no-order", "The offtake terms answer the concern.", null);
        await decisionMaker.GotoAsync($"/review/{caseId}");
        await OfficialPages.ClaimInWorkspaceAsync(decisionMaker, "minister-after-notice");
        await OfficialPages.CompleteAsync(decisionMaker, caseId, "minister-after-notice", "no-order", "No order for review.", "10b-decision-maker-decides");

        // The applicant sees the decision in Spanish, and never Mexico's comment.
        await applicant.GotoAsync($"/cases/{caseId}");
        Assert.Equal("Resuelto", (await applicant.TextContentAsync("[data-testid=status]"))!.Trim());
        Assert.Contains("Autorizado", await applicant.TextContentAsync("[data-testid=decision]"), StringComparison.Ordinal);
        Assert.DoesNotContain("comprador estatal", await applicant.ContentAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(applicant, "11-applicant-decision-es");

        // The dashboard draws its charts.
        await decisionMaker.GotoAsync("/dashboard");
        await decisionMaker.WaitForSelectorAsync("[data-testid=due-this-week]");
        await BrowserHost.ScreenshotAsync(decisionMaker, "12-dashboard");
    }

    [Fact]
    public async Task AnAdministratorSeesAProblemOnTheDiagramFixesItAndPublishes()
    {
        var admin = await host.SignInAsync(ScreeningFactory.Admin);
        await admin.GotoAsync("/admin/definitions/bilateral-screening");
        await admin.WaitForSelectorAsync("[data-testid=no-problems]");
        await admin.WaitForSelectorAsync(".step-node[data-step=prepare]");
        var original = await OfficialPages.DefinitionTextAsync(admin);
        Assert.Contains("\"done\": \"filing-kind\"", original, StringComparison.Ordinal);

        await OfficialPages.PasteDefinitionAsync(admin, original.Replace("\"done\": \"filing-kind\"", "\"done\": \"no-such-step\"", StringComparison.Ordinal));
        await admin.ClickAsync("[data-testid=validate]");
        await admin.WaitForSelectorAsync("[data-testid=problems] li");
        await admin.WaitForSelectorAsync(".step-node.problem[data-step=prepare]");
        Assert.Contains("no-such-step", await admin.TextContentAsync("[data-testid=problems]"), StringComparison.Ordinal);
        // Fitted, the whole pipeline is in its box: every step's node inside the diagram's viewport.
        await admin.ClickAsync("[data-testid=fit]");
        await Assertions.Expect(admin.Locator(".step-node")).ToHaveCountAsync(77);
        await admin.WaitForFunctionAsync("""
            () => {
              const box = document.querySelector('[data-testid=diagram]').getBoundingClientRect();
              return [...document.querySelectorAll('.step-node')].every(n => {
                const r = n.getBoundingClientRect();
                return r.width > 0 && r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
              });
            }
            """);
        await BrowserHost.ScreenshotAsync(admin, "19-admin-definition-fitted");
        await BrowserHost.ScreenshotAsync(admin, "20-admin-definition-problem");

        var fixedJson = original.Replace("\"value\": 500000000", "\"value\": 400000000", StringComparison.Ordinal);
        Assert.NotEqual(original, fixedJson);
        await OfficialPages.PasteDefinitionAsync(admin, fixedJson);
        await admin.ClickAsync("[data-testid=validate]");
        await admin.WaitForSelectorAsync("[data-testid=no-problems]");
        Assert.Equal(0, await admin.Locator(".step-node.problem").CountAsync());
        await admin.ClickAsync("[data-testid=save-draft]");
        await admin.WaitForSelectorAsync("[data-testid=message]:has-text('Draft v2 saved')");
        await admin.ClickAsync("[data-testid=publish]");
        await admin.WaitForSelectorAsync("[data-testid=message]:has-text('Version 2 is published')");
        await BrowserHost.ScreenshotAsync(admin, "21-admin-definition-published");

        await admin.SelectOptionAsync("#diff-from", "1");
        await admin.SelectOptionAsync("#diff-to", "2");
        await admin.ClickAsync("[data-testid=compare]");
        Assert.Contains("400000000", await admin.TextContentAsync("[data-testid=diff]"), StringComparison.Ordinal);
        // Side by side and line by line, the changed line beside its old self, and the table fits its box.
        Assert.Equal(1, await admin.Locator("[data-testid=diff] td.diff-changed", new() { HasText = "400000000" }).CountAsync());
        Assert.Equal(1, await admin.Locator("[data-testid=diff] td.diff-changed", new() { HasText = "500000000" }).CountAsync());
        Assert.True(await admin.EvaluateAsync<bool>("() => { const box = document.querySelector('[data-testid=diff]').parentElement; return box.scrollWidth <= box.clientWidth + 1; }"));
        await BrowserHost.ScreenshotAsync(admin, "22-admin-definition-diff");

        await admin.GotoAsync("/admin/calendars");
        // Canada Day, written as the rest of the pages write a date, its ISO form kept for machines.
        await Assertions.Expect(admin.Locator("[data-testid=holidays] time[datetime='2027-07-01']", new() { HasText = "1 Jul 2027" })).ToHaveCountAsync(1);
        await BrowserHost.ScreenshotAsync(admin, "24-admin-calendars");
        await admin.GotoAsync("/admin/users");
        Assert.Contains("officer1.mx@screening.example", await admin.TextContentAsync("[data-testid=users]"), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(admin, "25-admin-users");
        foreach (var (path, name) in new[] { ("/admin", "23-admin-home"), ("/admin/incidents", "26-admin-incidents") })
        {
            await admin.GotoAsync(path);
            await admin.WaitForSelectorAsync("h1");
            await BrowserHost.ScreenshotAsync(admin, name);
        }
    }

    [Fact]
    public async Task AnApplicantCannotReachOfficerOrAdminPagesAndPagesWorkOnAPhoneInFrench()
    {
        var applicant = await host.SignInAsync(ScreeningFactory.OtherApplicant, language: "fr", width: 390);
        foreach (var path in new[] { "/queue", "/admin", "/admin/definitions/bilateral-screening", "/dashboard" })
        {
            await applicant.GotoAsync(path);
            await applicant.WaitForSelectorAsync("[data-testid=denied]");
        }

        await applicant.GotoAsync("/cases/new");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=form-errors]");
        Assert.Contains("Ce champ est obligatoire.", await applicant.TextContentAsync("#error-investor-name"), StringComparison.Ordinal);
        Assert.Equal("Déposer un projet d'investissement", await applicant.TextContentAsync("h1"));
        await BrowserHost.ScreenshotAsync(applicant, "30-applicant-errors-phone-fr");

        // One error summary, focused, first on the page and in its title, each problem of the step linked to its field,
        // and the field marked invalid and described by its message.
        Assert.StartsWith("Erreur : Étape 1 sur 4 — L'investisseur", await applicant.TitleAsync(), StringComparison.Ordinal);
        Assert.Equal("form-errors", await applicant.EvaluateAsync<string>("() => document.activeElement.dataset.testid"));
        Assert.Equal(1, await applicant.Locator("[role=alert]").CountAsync());
        var link = applicant.Locator("[data-testid=form-errors] a[href$='#investor-name']");
        Assert.StartsWith("Investisseur : Ce champ est obligatoire.", (await link.TextContentAsync())!, StringComparison.Ordinal);
        Assert.Equal(("true", "error-investor-name"), (await applicant.GetAttributeAsync("#investor-name", "aria-invalid"), await applicant.GetAttributeAsync("#investor-name", "aria-describedby")));

        // What the pipeline's completeness check demands (the ultimate parent, a summary) the form asks for too, on
        // the step that asks for it: a filing without them is not sent, so it is never found deficient for a field
        // the form showed.
        Assert.Contains("(obligatoire)", await applicant.TextContentAsync("label[for=ultimate-parent]"), StringComparison.Ordinal);
        Assert.Contains("(facultatif)", await applicant.TextContentAsync("fieldset.choices:has(input[name=technologies]) legend"), StringComparison.Ordinal);
        var before = await host.As(ScreeningFactory.OtherApplicant).Get("/api/cases").Ok();
        await applicant.FillAsync("#investor-name", "Capital Boréal");
        await applicant.SelectOptionAsync("#investor-country", "CA");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=form-errors] a[href$='#ultimate-parent']");
        Assert.Equal(1, await applicant.Locator("[data-testid=form-errors] li").CountAsync());
        await applicant.FillAsync("#ultimate-parent", "Fonds Boréal");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.FillAsync("#target-name", "Cuivre Laurentien inc.");
        await applicant.SelectOptionAsync("#jurisdiction", "CA");
        await applicant.CheckAsync("input[name=assetCountries][value=CA]");
        await applicant.SelectOptionAsync("#sector", "critical-minerals");
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.SelectOptionAsync("#type", "minority-investment");
        await applicant.FillAsync("#equity", "5");
        await applicant.FillAsync("#value", "1000000");
        await applicant.FillAsync("#currency", "CAD");
        await FilingForm.FillDateAsync(applicant, "closing", 2027, 6, 30);
        await applicant.ClickAsync("[data-testid=continue]");
        await applicant.WaitForSelectorAsync("[data-testid=form-errors] a[href$='#summary']");
        Assert.Equal(1, await applicant.Locator("[data-testid=form-errors] li").CountAsync());
        Assert.Equal(before.ToJsonString(), (await host.As(ScreeningFactory.OtherApplicant).Get("/api/cases").Ok()).ToJsonString());
        await BrowserHost.ScreenshotAsync(applicant, "30b-applicant-completeness-errors-phone-fr");

        await applicant.GotoAsync("/cases");
        await BrowserHost.ScreenshotAsync(applicant, "31-applicant-cases-phone");
    }
}
