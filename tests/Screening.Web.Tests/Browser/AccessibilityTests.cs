using System.Reflection;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// An axe-core scan of every page, as the user each page is for sees it: the pages come from the router's own
/// route table, so a page added later is scanned without anyone remembering to. No critical or serious violation.
/// </summary>
public sealed class AccessibilityTests(BrowserHost host, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    /// <summary>Every routable page with the roles its authorization names (none for public pages).</summary>
    public static IEnumerable<(string Template, string[] Roles)> Pages() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Roles: t.GetCustomAttribute<AuthorizeAttribute>()?.Roles?.Split(',', StringSplitOptions.TrimEntries) ?? [])))
            .OrderBy(p => p.Template, StringComparer.Ordinal);

    [Theory]
    [InlineData("en", 1280)]
    [InlineData("es", 390)]
    public async Task NoPageOfAnyRoleHasACriticalOrSeriousViolation(string language, int width)
    {
        var scenario = new Scenario(host);
        var caseId = await scenario.FileAsync(Scenario.HighRiskCa());
        var users = new Dictionary<string, IPage>();
        async Task<IPage> As(string email) => users.TryGetValue(email, out var page) ? page : users[email] = await host.SignInAsync(email, language, width);

        var found = new List<string>();
        var scanned = 0;
        foreach (var (template, roles) in Pages())
        {
            var path = template.Replace("{Id:guid}", caseId, StringComparison.Ordinal).Replace("{CaseId:guid}", caseId, StringComparison.Ordinal).Replace("{Key}", "bilateral-screening", StringComparison.Ordinal);
            Assert.DoesNotContain("{", path, StringComparison.Ordinal);
            var page = roles.Length == 0 ? await AnonymousAsync(language, width)
                : roles.Contains("applicant") ? await As(ScreeningFactory.Applicant)
                : roles.Contains("officer") ? await As(ScreeningFactory.OfficerCa)
                : await As(ScreeningFactory.Admin);
            await page.GotoAsync(path);
            await page.WaitForSelectorAsync("main h1");
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            var result = await page.RunAxe();
            scanned++;
            var counts = result.Violations.GroupBy(v => v.Impact ?? "none").Select(g => $"{g.Key} {g.Count()}");
            output.WriteLine($"{path} as {(roles.Length == 0 ? "anyone" : string.Join(",", roles))}: {result.Passes.Length} rules passed; violations: {string.Join(", ", counts.DefaultIfEmpty("none"))}");
            found.AddRange(result.Violations
                .Where(v => v.Impact is "critical" or "serious")
                .Select(v => $"{path} ({string.Join(",", roles)}): {v.Id} [{v.Impact}] {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
        }

        Assert.True(scanned >= 20, $"Only {scanned} pages were scanned.");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private async Task<IPage> AnonymousAsync(string language, int width)
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = host.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync($"/culture?lang={language}&returnUrl=%2F");
        return page;
    }
}
