using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Screening.Web.Tests.Browser;

/// <summary>The axe-core scan the browser tests hold every page to: no critical or serious violation.</summary>
public static class Axe
{
    /// <summary>The violations of the page as it stands that are critical or serious, each with the first elements it names.</summary>
    public static async Task<IReadOnlyList<string>> SeriousAsync(IPage page)
    {
        var result = await page.RunAxe();
        return [.. result.Violations
            .Where(v => v.Impact is "critical" or "serious")
            .Select(v => $"{v.Id} [{v.Impact}] {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")];
    }

    public static async Task AssertNoSeriousViolationAsync(IPage page, string where)
    {
        var serious = await SeriousAsync(page);
        Assert.True(serious.Count == 0, $"On {where}:\n" + string.Join("\n", serious));
    }
}
