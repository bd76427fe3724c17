using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Screening.Testing;
using Screening.Web.Identity;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Browser;

/// <summary>
/// Two-factor sign-in in a real Chromium: the code step after the password, and the enrolment an official created by
/// an administrator goes through at the first sign-in (and again after an administrator's reset).
/// </summary>
public sealed class TwoFactorBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task AnOfficialGivesTheAuthenticatorCodeAfterThePasswordAndAWrongCodeIsNotEchoed()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", ScreeningFactory.OfficerCa);
        await page.FillAsync("#password", ScreeningFactory.Passwords[ScreeningFactory.OfficerCa]);
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForURLAsync("**/account/login/code**");
        Assert.Equal("Two-factor sign-in", await page.TextContentAsync("h1"));
        Assert.Equal(0, await page.Locator("[data-testid=who]").CountAsync());
        await BrowserHost.ScreenshotAsync(page, "30-sign-in-code");

        var wrong = ScreeningFactory.TwoFactorCode(ScreeningFactory.OfficerCa) == "000000" ? "111111" : "000000";
        await page.FillAsync("#code", wrong);
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForSelectorAsync("p.error[role=alert]");
        Assert.Contains("The code is wrong", await page.TextContentAsync("p.error[role=alert]"), StringComparison.Ordinal);
        Assert.Equal("", await page.InputValueAsync("#code"));
        Assert.DoesNotContain(wrong, await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "31-sign-in-wrong-code");

        // The recovery code is the other way in; the authenticator's code is the usual one.
        await page.ClickAsync("[data-testid=switch-code]");
        await page.WaitForSelectorAsync("label[for=code]:has-text('Recovery code')");
        await page.ClickAsync("[data-testid=switch-code]");
        await page.WaitForSelectorAsync("label[for=code]:has-text('Authenticator code')");
        await page.FillAsync("#code", ScreeningFactory.TwoFactorCode(ScreeningFactory.OfficerCa));
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=who]");

        Assert.EndsWith("/queue", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        var stored = await host.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == ScreeningFactory.OfficerCa));
        Assert.Equal(0, stored.AccessFailedCount);
    }

    [Fact]
    public async Task AnOfficialCreatedByAnAdministratorEnrolsAtTheFirstSignInAndAgainAfterAReset()
    {
        var email = $"first-sign-in-{Guid.NewGuid():N}@screening.example";
        const string password = "First-Sign-In-2027!";
        await host.As(ScreeningFactory.Admin).Post("/api/admin/users",
            new { email, password, displayName = "Nadia Roy", role = "officer", jurisdiction = "CA" }).Ok(HttpStatusCode.Created);

        var page = await NewPageAsync();
        var key = await StartEnrolmentAsync(page, email, password);
        await BrowserHost.ScreenshotAsync(page, "32-enrol-authenticator");

        // A wrong code keeps the same key on the page (an app that scanned it still works) and is not echoed.
        var wrong = Totp.Code(key) == "000000" ? "111111" : "000000";
        await page.FillAsync("#code", wrong);
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForSelectorAsync("p.error[role=alert]");
        Assert.Equal(key, SharedKey(await page.TextContentAsync("[data-testid=shared-key]")));
        Assert.Equal("", await page.InputValueAsync("#code"));
        Assert.False((await StoredUserAsync(email)).TwoFactorEnabled);

        await page.FillAsync("#code", Totp.Code(key));
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForSelectorAsync("[data-testid=recovery-codes]");
        var codes = await page.Locator("[data-testid=recovery-codes] li").AllTextContentsAsync();
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c.Trim()));
        await BrowserHost.ScreenshotAsync(page, "33-enrol-recovery-codes");

        var stored = await StoredUserAsync(email);
        Assert.True(stored.TwoFactorEnabled);
        Assert.Equal(10, await RecoveryCodesLeftAsync(email));
        Assert.Single(await host.StoredEventsAsync("user.two-factor-enabled"), e => e.Entry.Actor == stored.Id);

        await page.ClickAsync("[data-testid=continue]");
        await page.WaitForSelectorAsync("[data-testid=who]");
        Assert.EndsWith("/queue", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        // The API now signs the official in with the code of the app just enrolled, and a recovery code works once.
        (await host.Anonymous().RawPost("/api/auth/login", new { email, password, twoFactorCode = Totp.Code(key) })).AssertSuccess();
        (await host.Anonymous().RawPost("/api/auth/login", new { email, password, twoFactorRecoveryCode = codes[0].Trim() })).AssertSuccess();
        Assert.Equal(9, await RecoveryCodesLeftAsync(email));

        // An administrator resets the second factor from the Users page.
        var admin = await host.SignInAsync(ScreeningFactory.Admin);
        await admin.GotoAsync("/admin/users");
        var reset = admin.Locator($"button[aria-label='Reset two-factor sign-in of {email}']");
        await reset.WaitForAsync();
        await reset.ClickAsync();
        await admin.WaitForSelectorAsync($"[role=status]:has-text('Two-factor sign-in of {email} reset')");
        await BrowserHost.ScreenshotAsync(admin, "34-admin-reset-two-factor");
        Assert.False((await StoredUserAsync(email)).TwoFactorEnabled);
        var adminId = await host.UserIdAsync(ScreeningFactory.Admin);
        Assert.Single(await host.StoredEventsAsync("user.two-factor-reset"), e => e.Entry.Actor == adminId && e.Data["user"]!.GetValue<string>() == stored.Id);

        // The next sign-in leads through enrolment again, with a new key.
        var again = await NewPageAsync();
        var newKey = await StartEnrolmentAsync(again, email, password);
        Assert.NotEqual(key, newKey);
    }

    /// <summary>Signs in with the password and expects the enrolment page; returns the shared key it shows.</summary>
    private static async Task<string> StartEnrolmentAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("form button.primary[type=submit]");
        await page.WaitForURLAsync("**/account/enrol**");
        Assert.Equal("Set up your authenticator app", await page.TextContentAsync("h1"));
        Assert.Equal(0, await page.Locator("[data-testid=who]").CountAsync());
        Assert.StartsWith("data:image/png;base64,", await page.GetAttributeAsync("[data-testid=qr-code]", "src"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(await page.GetAttributeAsync("[data-testid=qr-code]", "alt")));
        return SharedKey(await page.TextContentAsync("[data-testid=shared-key]"));
    }

    private static string SharedKey(string? shown) => (shown ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    private async Task<IPage> NewPageAsync()
    {
        var context = await host.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = host.BaseUrl });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }

    private Task<ScreeningUser> StoredUserAsync(string email) =>
        host.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));

    private async Task<int> RecoveryCodesLeftAsync(string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ScreeningUser>>();
        return await users.CountRecoveryCodesAsync((await users.FindByEmailAsync(email))!);
    }
}
