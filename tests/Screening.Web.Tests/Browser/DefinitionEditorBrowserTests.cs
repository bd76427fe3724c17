using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// The definition editor's code editor (Monaco, served by the host itself): problems found when typing pauses and
/// marked on their lines, the way to each problem's line, the plain text area beside it, and the page in each
/// language. A host of its own: these tests save drafts. Screenshots land in TestResults/screenshots.
/// </summary>
public sealed class DefinitionEditorBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string Page = "/admin/definitions/bilateral-screening";

    [Fact]
    public async Task AProblemTypedIntoTheCodeEditorIsMarkedOnItsLineOnceTypingPausesAndTheFixIsWhatIsSaved()
    {
        var admin = await host.SignInAsync(ScreeningFactory.Admin);
        await admin.GotoAsync(Page);
        var original = await OfficialPages.DefinitionTextAsync(admin);
        await admin.WaitForSelectorAsync("[data-testid=no-problems]");

        // A code editor: numbered lines, and JSON's keys and values in colours of their own.
        Assert.True(await admin.Locator("#definition-json .line-numbers").CountAsync() > 10);
        Assert.True(await admin.EvaluateAsync<int>("() => new Set([...document.querySelectorAll('#definition-json .view-line span span')].map(s => s.className)).size") >= 3);
        Assert.StartsWith("Definition (JSON)", await admin.GetAttributeAsync("#definition-json textarea", "aria-label"), StringComparison.Ordinal);

        // The administrator selects a step's connection and types another name; nothing is pressed after.
        var line = await SelectInEditorAsync(admin, "\"done\": \"filing-kind\"", "filing-kind");
        await admin.Keyboard.TypeAsync("no-such-step");
        await admin.WaitForSelectorAsync("[data-testid=problems] li");
        Assert.Contains("'no-such-step', which does not exist", await admin.TextContentAsync("[data-testid=problems]"), StringComparison.Ordinal);
        await admin.WaitForSelectorAsync(".step-node.problem[data-step=prepare]");

        // The problem is marked on the line typed, and its line in the list takes the keyboard there.
        await admin.WaitForSelectorAsync("#definition-json .squiggly-error");
        var markers = JsonNode.Parse(await admin.EvaluateAsync<string>("() => JSON.stringify(monaco.editor.getModelMarkers({ owner: 'screening' }).map(m => ({ line: m.startLineNumber, error: m.severity === monaco.MarkerSeverity.Error, message: m.message })))"))!.AsArray();
        Assert.Contains(markers, m => m!["line"]!.GetValue<int>() == line && m["error"]!.GetValue<bool>() && m["message"]!.GetValue<string>().Contains("no-such-step", StringComparison.Ordinal));
        var lineLink = admin.Locator("[data-testid=problems] li", new() { HasText = "no-such-step" }).Locator("[data-testid=problem-line]");
        Assert.Equal($"line {line}", (await lineLink.TextContentAsync())!.Trim());
        await admin.EvaluateAsync("() => blazorMonaco.editor.getEditor('definition-json').setPosition({ lineNumber: 1, column: 1 })");
        await lineLink.ClickAsync();
        await admin.WaitForFunctionAsync("() => document.querySelector('#definition-json').contains(document.activeElement)");
        Assert.Equal(line, await admin.EvaluateAsync<int>("() => blazorMonaco.editor.getEditor('definition-json').getPosition().lineNumber"));
        await BrowserHost.ScreenshotAsync(admin, "70-editor-problem-on-its-line");

        // Fixed by typing again, the definition checks clean once typing pauses, and the draft saved is the text typed.
        await SelectInEditorAsync(admin, "\"done\": \"no-such-step\"", "no-such-step");
        await admin.Keyboard.TypeAsync("filing-kind");
        await admin.WaitForSelectorAsync("[data-testid=no-problems]");
        await Assertions.Expect(admin.Locator("#definition-json .squiggly-error")).ToHaveCountAsync(0);
        await SelectInEditorAsync(admin, "\"value\": 500000000", "500000000");
        await admin.Keyboard.TypeAsync("450000000");
        await admin.ClickAsync("[data-testid=save-draft]");
        await admin.WaitForSelectorAsync("[data-testid=message]:has-text('Draft v2 saved')");
        var draft = await host.QueryAsync(db => db.Definitions.SingleAsync(d => d.Key == "bilateral-screening" && d.Version == 2));
        Assert.False(draft.IsPublished);
        // The version is the store's to give: the text shown carries the one it was read as, the draft is stored without.
        var typed = JsonNode.Parse(original.Replace("\"value\": 500000000", "\"value\": 450000000", StringComparison.Ordinal))!.AsObject();
        typed.Remove("version");
        Assert.Equal(typed.ToJsonString(), JsonNode.Parse(draft.Json)!.ToJsonString());
    }

    [Fact]
    public async Task ThePlainTextAreaEditsTheSameDefinitionAndItsProblemsAreMarkedBackInTheCodeEditor()
    {
        var admin = await host.SignInAsync(ScreeningFactory.Admin);
        await admin.GotoAsync(Page);
        var original = await OfficialPages.DefinitionTextAsync(admin);
        await admin.ClickAsync("[data-testid=switch-editor]");
        await Assertions.Expect(admin.Locator("[data-testid=switch-editor]")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(original, await admin.InputValueAsync("#definition-text"));
        Assert.True(await admin.Locator("[data-testid=code-editor]").IsHiddenAsync());

        // Not JSON any more: a comma gone on one line. The text area is checked when Validate is pressed.
        var broken = original.Replace("\"key\": \"bilateral-screening\",", "\"key\": \"bilateral-screening\"", StringComparison.Ordinal);
        Assert.NotEqual(original, broken);
        await admin.EvalOnSelectorAsync("#definition-text", "(t, v) => { t.value = v; t.dispatchEvent(new Event('change', { bubbles: true })); }", broken);
        await admin.ClickAsync("[data-testid=validate]");
        await admin.WaitForSelectorAsync("[data-testid=problems] li:has-text('not valid JSON')");
        Assert.Contains("line 3", await admin.TextContentAsync("[data-testid=problems]"), StringComparison.Ordinal);

        // Back in the code editor, the text is the one typed and the syntax error is marked where the comma is missing.
        await admin.ClickAsync("[data-testid=switch-editor]");
        await admin.WaitForSelectorAsync("[data-testid=code-editor]:visible");
        Assert.Equal(broken, await OfficialPages.DefinitionTextAsync(admin));
        await admin.WaitForFunctionAsync("() => monaco.editor.getModelMarkers({ owner: 'screening' }).some(m => m.startLineNumber === 3)");
    }

    [Theory]
    [MemberData(nameof(BrowserHost.LanguagesAndWidths), MemberType = typeof(BrowserHost))]
    public async Task TheEditorReadsInTheAdministratorsLanguageAndPassesTheAccessibilityScan(string language, int width)
    {
        var admin = await host.SignInAsync(ScreeningFactory.Admin, language, width);
        var missing = new List<string>();
        admin.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                missing.Add($"{response.Status} {response.Url}");
            }
        };
        admin.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                missing.Add(message.Text);
            }
        };
        await admin.GotoAsync(Page);
        await OfficialPages.DefinitionTextAsync(admin);
        await admin.WaitForSelectorAsync("[data-testid=no-problems]");
        await admin.WaitForSelectorAsync(".step-node[data-step=prepare]");
        if (language != "en")
        {
            await EnglishLeft.AssertNoneAsync(admin, language, "the definition editor");
        }

        await Axe.AssertNoSeriousViolationAsync(admin, $"the definition editor ({language}, {width} px)");
        Assert.True(await BrowserHost.FitsScreenAsync(admin), $"The editor page is wider than a {width} px screen.");
        await BrowserHost.ScreenshotAsync(admin, $"editor-{language}-{width}");

        // Everything Monaco asked for (its words in this language, the JSON worker) is among the files the host serves,
        // and the content policy lets it run.
        await admin.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Empty(missing);
    }

    /// <summary>Selects <paramref name="word"/> inside the first <paramref name="around"/> of the editor's text, as a double click would; returns its line.</summary>
    private static async Task<int> SelectInEditorAsync(IPage page, string around, string word) =>
        await page.EvaluateAsync<int>("""
            ([around, word]) => {
              const editor = blazorMonaco.editor.getEditor('definition-json');
              const match = editor.getModel().findMatches(around, false, false, true, null, false)[0].range;
              const column = match.startColumn + around.indexOf(word);
              editor.setSelection({ startLineNumber: match.startLineNumber, startColumn: column, endLineNumber: match.startLineNumber, endColumn: column + word.length });
              editor.revealLineInCenter(match.startLineNumber);
              editor.focus();
              return match.startLineNumber;
            }
            """, new[] { around, word });
}
