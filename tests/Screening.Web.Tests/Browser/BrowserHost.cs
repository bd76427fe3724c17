using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Screening.Testing;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// The host on a real loopback port in the Development environment (so the UI's static assets are served
/// from the build), and Debian's Chromium driven by Playwright. Nothing downloads a browser: Playwright's
/// driver runs from its NuGet package, and nothing of it (installer included) is copied to the build output.
/// </summary>
public sealed class BrowserHost : ScreeningFactory, IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The restored Microsoft.Playwright package, whose <c>.playwright</c> folder holds the driver.</summary>
    private static string PlaywrightPackage { get; } = typeof(BrowserHost).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "PlaywrightPackage").Value!;

    public BrowserHost()
    {
        UseKestrel(0);
    }

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Folder, "TestResults", "screenshots");

    /// <summary>Every language the pages speak, each on a desktop and a phone: what the per-language browser tests run over.</summary>
    public static TheoryData<string, int> LanguagesAndWidths { get; } = new() { { "en", 1280 }, { "en", 390 }, { "fr", 1280 }, { "fr", 390 }, { "es", 1280 }, { "es", 390 } };

    /// <summary>The page is no wider than its window: nothing to scroll sideways on a phone.</summary>
    public static Task<bool> FitsScreenAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Development");
    }

    public async Task InitializeAsync()
    {
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_DRIVER_SEARCH_PATH", PlaywrightPackage);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task<IPage> SignInAsync(string email, string? language = null, int width = 1280)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        // The language switch's own address, loaded rather than clicked: a click could land while the sign-in page
        // was still loading, and the form was then filled on the page the switch replaced.
        await page.GotoAsync(language is null ? "/account/login" : $"/culture?lang={language}&returnUrl=%2Faccount%2Flogin");
        if (language is not null)
        {
            await page.WaitForSelectorAsync($"a[lang={language}][aria-current=true]");
        }

        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Passwords[email]);
        await page.ClickAsync("form button.primary[type=submit]");
        try
        {
            if (TotpSecrets.ContainsKey(email))
            {
                await page.WaitForURLAsync("**/account/login/code**");
                await page.FillAsync("#code", TwoFactorCode(email));
                await page.ClickAsync("form button.primary[type=submit]");
            }

            await page.WaitForSelectorAsync("[data-testid=who]");
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, $"failed-sign-in-{email}");
            throw;
        }

        return page;
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    public new async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
