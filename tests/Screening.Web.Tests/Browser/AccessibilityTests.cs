using System.Reflection;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// Every page, as the user each page is for sees it, in English, French and Spanish on a 1280 px screen and a
/// 390 px phone: an axe-core scan (no critical or serious violation), no English left on a French or Spanish
/// page, nothing wider than the screen, and a screenshot of each, with one contact sheet per language and width
/// to look at them together. The pages come from the router's own route table, so a page added later is checked
/// without anyone remembering to.
/// </summary>
public sealed class AccessibilityTests(BrowserHost host, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    /// <summary>Every routable page with the roles its authorization names (none for public pages).</summary>
    public static IEnumerable<(string Template, string[] Roles)> Pages() =>
        typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Roles: t.GetCustomAttribute<AuthorizeAttribute>()?.Roles?.Split(',', StringSplitOptions.TrimEntries) ?? [])))
            .OrderBy(p => p.Template, StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(BrowserHost.LanguagesAndWidths), MemberType = typeof(BrowserHost))]
    public async Task NoPageOfAnyRoleHasACriticalOrSeriousViolationEnglishLeftOrAnythingWiderThanTheScreen(string language, int width)
    {
        var scenario = new Scenario(host);
        var caseId = await scenario.FileAsync(Scenario.HighRiskCa());
        var users = new Dictionary<string, IPage>();
        async Task<IPage> As(string email) => users.TryGetValue(email, out var page) ? page : users[email] = await host.SignInAsync(email, language, width);

        var found = new List<string>();
        var shots = new List<(string Path, string File)>();
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
            if (language != "en")
            {
                found.AddRange((await EnglishLeft.OnPageAsync(page, language)).Select(e => $"{path}: English left: {e}"));
            }

            if (!await BrowserHost.FitsScreenAsync(page))
            {
                found.Add($"{path}: wider than a {width} px screen");
            }

            var name = $"page-{language}-{width}-{scanned:D2}";
            await BrowserHost.ScreenshotAsync(page, name);
            shots.Add((path, name));
            var counts = result.Violations.GroupBy(v => v.Impact ?? "none").Select(g => $"{g.Key} {g.Count()} ({string.Join(", ", g.Select(v => v.Id + " at " + string.Join(" | ", v.Nodes.Take(2).Select(n => n.Html.Length > 120 ? n.Html[..120] : n.Html))))})");
            output.WriteLine($"{path} as {(roles.Length == 0 ? "anyone" : string.Join(",", roles))}: {result.Passes.Length} rules passed; violations: {string.Join(", ", counts.DefaultIfEmpty("none"))}");
            found.AddRange(result.Violations
                .Where(v => v.Impact is "critical" or "serious")
                .Select(v => $"{path} ({string.Join(",", roles)}): {v.Id} [{v.Impact}] {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}"));
        }

        await ContactSheetAsync($"contact-sheet-{language}-{width}", shots);
        Assert.True(scanned >= 20, $"Only {scanned} pages were scanned.");
        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    /// <summary>The screenshots side by side with the address each shows, as one image.</summary>
    private async Task ContactSheetAsync(string name, IReadOnlyList<(string Path, string File)> shots)
    {
        var cells = shots.Select(s =>
        {
            var image = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(BrowserHost.ScreenshotDirectory, s.File + ".png")));
            return $"<figure><img src=\"data:image/png;base64,{image}\"><figcaption>{System.Net.WebUtility.HtmlEncode(s.Path)}</figcaption></figure>";
        });
        var html = "<!DOCTYPE html><html><head><style>body{margin:8px;font:12px sans-serif;display:grid;grid-template-columns:repeat(6,1fr);gap:8px;align-items:start}"
            + "figure{margin:0;border:1px solid #999}img{width:100%;display:block;max-height:900px;object-fit:cover;object-position:top}figcaption{padding:2px 4px;background:#eee}</style></head><body>"
            + string.Concat(cells) + "</body></html>";
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1800, Height = 1000 } });
        var sheet = await context.NewPageAsync();
        await sheet.SetContentAsync(html);
        await BrowserHost.ScreenshotAsync(sheet, name);
        await context.CloseAsync();
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
