using Microsoft.Playwright;

namespace Screening.Web.Tests.Browser;

/// <summary>What officials and administrators do on their pages, as the browser tests drive it.</summary>
public static class OfficialPages
{
    /// <summary>
    /// The whole document at once, as an administrator pastes it: one edit of the code editor's model, through Monaco's
    /// own API, which raises the change a paste raises. (Typing 56 KB key by key says nothing about the page.)
    /// </summary>
    public static async Task PasteDefinitionAsync(IPage page, string json)
    {
        await page.WaitForSelectorAsync("[data-testid=code-editor][data-ready=true]");
        await page.EvaluateAsync("""
            json => {
              const editor = blazorMonaco.editor.getEditor('definition-json');
              editor.executeEdits('paste', [{ range: editor.getModel().getFullModelRange(), text: json }]);
            }
            """, json);
    }

    /// <summary>The text in the definition's code editor, once it has loaded.</summary>
    public static async Task<string> DefinitionTextAsync(IPage page)
    {
        await page.WaitForSelectorAsync("[data-testid=code-editor][data-ready=true]");
        return await page.EvaluateAsync<string>("() => blazorMonaco.editor.getEditor('definition-json').getValue()");
    }

    public static async Task ClaimFromQueueAsync(IPage page, string reference, string step, string screenshot)
    {
        await page.GotoAsync("/queue");
        var row = page.Locator($"[data-testid=queue] tr[data-step={step}]", new PageLocatorOptions { HasText = reference });
        await row.WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, screenshot);
        await row.Locator("[data-testid=claim]").ClickAsync();
        await row.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Detached });
    }

    public static async Task ClaimInWorkspaceAsync(IPage page, string step)
    {
        var claim = page.Locator($"[data-testid=available-task][data-step={step}] [data-testid=claim]");
        await ShowingAsync(page, claim, $"failed-claim-{step}");
        await claim.ClickAsync();
        await ShowingAsync(page, page.Locator($"[data-testid=my-task][data-step={step}]"), $"failed-claimed-{step}");
    }

    /// <summary>Waits for what the next step needs, and keeps a picture of the page when it never comes.</summary>
    private static async Task ShowingAsync(IPage page, ILocator locator, string screenshot, WaitForSelectorState state = WaitForSelectorState.Visible)
    {
        try
        {
            await locator.WaitForAsync(new LocatorWaitForOptions { State = state });
        }
        catch (TimeoutException)
        {
            await BrowserHost.ScreenshotAsync(page, screenshot);
            throw;
        }
    }

    public static async Task CompleteAsync(IPage page, string caseId, string step, string outcome, string comment, string? screenshot)
    {
        if (!page.Url.EndsWith($"/review/{caseId}", StringComparison.Ordinal))
        {
            await page.GotoAsync($"/review/{caseId}");
        }

        var task = page.Locator($"[data-testid=my-task][data-step={step}]");
        await ShowingAsync(page, task, $"failed-complete-{step}");
        await task.Locator("select").SelectOptionAsync(outcome);
        await task.Locator("textarea").First.FillAsync(comment);
        if (screenshot is not null)
        {
            await BrowserHost.ScreenshotAsync(page, screenshot);
        }

        var label = (await task.Locator($"select option[value={outcome}]").TextContentAsync())!;
        var decides = await task.GetAttributeAsync("data-role") == "decision-maker";
        await task.Locator("[data-testid=complete]").ClickAsync();
        // A decision-maker's act is shown for confirmation first: what will be recorded, in the outcome's own words.
        var confirm = task.Locator("[data-testid=confirm-decision]");
        if (decides)
        {
            await confirm.WaitForAsync();
            Assert.Equal(label, (await confirm.Locator("[data-testid=confirm-outcome]").TextContentAsync())!.Trim());
            await confirm.Locator("[data-testid=confirm]").ClickAsync();
        }

        await ShowingAsync(page, task, $"failed-completed-{step}", WaitForSelectorState.Detached);
        Assert.Equal("ok", await page.GetAttributeAsync("[data-testid=message]", "class"));
    }
}
