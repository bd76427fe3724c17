using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Testing;
using Screening.Web.Identity;
using Screening.Web.Tests.Infrastructure;
using Screening.Web.Tests.Security;

namespace Screening.Web.Tests.Identity;

/// <summary>
/// Two-factor sign-in over the API (decision 0018): officials and administrators give a TOTP code (or a recovery
/// code) with the password, applicants may opt in through POST /api/auth/manage/2fa, codes run on real time, wrong
/// codes are throttled as wrong passwords are, and an administrator's reset sends an official back to enrolment.
/// </summary>
public sealed class TwoFactorTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string GoodPassword = "Registered-2027!";

    [Fact]
    public async Task AnOfficialWithoutACodeIs401WithADetailThatAsksForOne()
    {
        var response = await factory.Anonymous().RawPost("/api/auth/login",
            new { email = ScreeningFactory.OfficerCa, password = ScreeningFactory.Passwords[ScreeningFactory.OfficerCa] });

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("two-factor code is required", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("accessToken", response.Text, StringComparison.Ordinal);
        var stored = await StoredUserAsync(ScreeningFactory.OfficerCa);
        Assert.True(stored.TwoFactorEnabled);
        Assert.Equal(0, stored.AccessFailedCount);
    }

    [Fact]
    public async Task TheRightCodeGivesTokensAndTheSameCodeWorksTwiceWithinItsStep()
    {
        await WaitForAFreshStepAsync();
        var code = ScreeningFactory.TwoFactorCode(ScreeningFactory.DecisionCa);
        var body = new { email = ScreeningFactory.DecisionCa, password = ScreeningFactory.Passwords[ScreeningFactory.DecisionCa], twoFactorCode = code };

        var first = (await factory.Anonymous().RawPost("/api/auth/login", body)).AssertSuccess();
        var second = (await factory.Anonymous().RawPost("/api/auth/login", body)).AssertSuccess();

        Assert.Equal("Bearer", first.S("tokenType"));
        Assert.NotEqual(first.S("accessToken"), second.S("accessToken"));
        var me = await Bearer(second.S("accessToken")).Get("/api/me").Ok();
        Assert.Equal((ScreeningFactory.DecisionCa, "CA"), (me.S("email"), me.S("jurisdiction")));
        Assert.Equal(0, (await StoredUserAsync(ScreeningFactory.DecisionCa)).AccessFailedCount);
    }

    [Fact]
    public async Task WrongCodesAre401AndCountedThenTheThrottleRefusesEvenTheRightCodeWith429()
    {
        await using var limited = new LoginThrottledScreeningFactory();
        var anonymous = limited.Anonymous();
        var email = ScreeningFactory.DecisionMx;
        var wrongCode = ScreeningFactory.TwoFactorCode(email) == "000000" ? "111111" : "000000";
        for (var i = 0; i < LoginThrottledScreeningFactory.Limit; i++)
        {
            var wrong = await anonymous.RawPost("/api/auth/login", new { email, password = ScreeningFactory.Passwords[email], twoFactorCode = wrongCode });
            var problem = wrong.AssertProblem(HttpStatusCode.Unauthorized);
            Assert.Contains("two-factor code is wrong", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var stored = await limited.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.Equal(LoginThrottledScreeningFactory.Limit, stored.AccessFailedCount);

        var right = await anonymous.RawPost("/api/auth/login", ScreeningFactory.Credentials(email));

        right.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.True(int.TryParse(right.Header("Retry-After"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60, right.Header("Retry-After"));
        Assert.DoesNotContain("accessToken", right.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveWrongCodesLockTheAccountAndTheRightCodeIsThen429()
    {
        var (email, secret) = await RegisterWithTwoFactorAsync();
        var wrongCode = Totp.Code(secret) == "000000" ? "111111" : "000000";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword, twoFactorCode = wrongCode })).Status);
        }

        var right = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword, twoFactorCode = Totp.Code(secret) });

        Assert.All(statuses.Take(4), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        right.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.NotNull((await StoredUserAsync(email)).LockoutEnd);
    }

    [Fact]
    public async Task ARecoveryCodeSignsInOnceOnly()
    {
        var official = factory.As(ScreeningFactory.DualCa);
        var reset = await official.Post("/api/auth/manage/2fa", new { resetRecoveryCodes = true }).Ok();
        var codes = reset["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, reset["recoveryCodesLeft"]!.GetValue<int>());
        var body = new { email = ScreeningFactory.DualCa, password = ScreeningFactory.Passwords[ScreeningFactory.DualCa], twoFactorRecoveryCode = codes[3] };

        var first = (await factory.Anonymous().RawPost("/api/auth/login", body)).AssertSuccess();
        var again = await factory.Anonymous().RawPost("/api/auth/login", body);

        Assert.Equal(ScreeningFactory.DualCa, (await Bearer(first.S("accessToken")).Get("/api/me").Ok()).S("email"));
        again.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("accessToken", again.Text, StringComparison.Ordinal);
        Assert.Equal(9, await RecoveryCodesLeftAsync(ScreeningFactory.DualCa));
        var status = await official.Post("/api/auth/manage/2fa", new { }).Ok();
        Assert.Equal(9, status["recoveryCodesLeft"]!.GetValue<int>());
        Assert.Null(status["recoveryCodes"]);
        // Typed in lower case with spaces around it, another code still works.
        var lower = new { email = ScreeningFactory.DualCa, password = ScreeningFactory.Passwords[ScreeningFactory.DualCa], twoFactorRecoveryCode = $" {codes[5].ToLowerInvariant()} " };
        (await factory.Anonymous().RawPost("/api/auth/login", lower)).AssertSuccess();
        Assert.Equal(8, await RecoveryCodesLeftAsync(ScreeningFactory.DualCa));
    }

    [Fact]
    public async Task CodesRunOnRealTimeWhileTheHostClockIsSimulatedAndAdvancedDaysAhead()
    {
        await using var host = new ScreeningFactory();
        var admin = host.As(ScreeningFactory.Admin);
        await admin.Post("/api/admin/clock/advance", new { days = 40 }).Ok();
        var hostNow = DateTimeOffset.Parse((await admin.Get("/api/admin/clock").Ok()).S("now"), CultureInfo.InvariantCulture);
        Assert.True(hostNow > DateTimeOffset.UtcNow.AddDays(39), $"the host's clock reads {hostNow:O}");
        await WaitForAFreshStepAsync();
        var email = ScreeningFactory.OfficerMx;
        var secret = ScreeningFactory.TotpSecrets[email];

        var onHostTime = await host.Anonymous().RawPost("/api/auth/login", new { email, password = ScreeningFactory.Passwords[email], twoFactorCode = Totp.Code(secret, hostNow) });
        var onRealTime = await host.Anonymous().RawPost("/api/auth/login", new { email, password = ScreeningFactory.Passwords[email], twoFactorCode = Totp.Code(secret, DateTimeOffset.UtcNow) });

        onHostTime.AssertProblem(HttpStatusCode.Unauthorized);
        var tokens = onRealTime.AssertSuccess();
        Assert.Equal(email, (await BearerOn(host, tokens.S("accessToken")).Get("/api/me").Ok()).S("email"));
    }

    [Fact]
    public async Task AnApplicantSignsInWithThePasswordUntilOptingInAndThenNeedsTheCode()
    {
        var email = NewEmail();
        await factory.Anonymous().Post("/api/auth/register", new { email, password = GoodPassword }).Ok(HttpStatusCode.Created);
        var login = (await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword })).AssertSuccess();
        var client = Bearer(login.S("accessToken"));

        // Asking for the state makes the shared key: the shape of Identity's endpoint, nothing enabled yet.
        var status = (await client.RawPost("/api/auth/manage/2fa", new { })).AssertSuccess().AsObject();
        Assert.Equal(["sharedKey", "recoveryCodesLeft", "recoveryCodes", "isTwoFactorEnabled", "isMachineRemembered"], status.Select(p => p.Key));
        Assert.Equal((0, false, false), (status["recoveryCodesLeft"]!.GetValue<int>(), status["isTwoFactorEnabled"]!.GetValue<bool>(), status["isMachineRemembered"]!.GetValue<bool>()));
        Assert.Null(status["recoveryCodes"]);
        var key = status.S("sharedKey");
        Assert.Equal(key, (await client.Post("/api/auth/manage/2fa", new { }).Ok()).S("sharedKey"));
        // Making the first key ends no session: the refresh token still works.
        (await factory.Anonymous().RawPost("/api/auth/refresh", new { refreshToken = login.S("refreshToken") })).AssertSuccess();

        (await client.RawPost("/api/auth/manage/2fa", new { enable = true })).AssertValidation("$.twoFactorCode");
        (await client.RawPost("/api/auth/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key) == "000000" ? "111111" : "000000" })).AssertValidation("$.twoFactorCode");
        (await client.RawPost("/api/auth/manage/2fa", new { enable = true, resetSharedKey = true, twoFactorCode = Totp.Code(key) })).AssertValidation("$.resetSharedKey");
        Assert.False((await StoredUserAsync(email)).TwoFactorEnabled);

        var enabled = await client.Post("/api/auth/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key) }).Ok();

        Assert.True(enabled["isTwoFactorEnabled"]!.GetValue<bool>());
        Assert.Equal(10, enabled["recoveryCodes"]!.AsArray().Count);
        Assert.Equal(10, enabled["recoveryCodesLeft"]!.GetValue<int>());
        Assert.True((await StoredUserAsync(email)).TwoFactorEnabled);
        Assert.Equal(10, await RecoveryCodesLeftAsync(email));
        var userId = await factory.UserIdAsync(email);
        Assert.Single(await factory.StoredEventsAsync("user.two-factor-enabled"), e => e.Entry.Actor == userId && e.Data["user"]!.GetValue<string>() == userId);

        var passwordOnly = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword });
        Assert.Contains("two-factor code is required", passwordOnly.AssertProblem(HttpStatusCode.Unauthorized)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        (await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword, twoFactorCode = Totp.Code(key) })).AssertSuccess();

        // An applicant may turn it off again; then the password alone signs in once more.
        var disabled = await client.Post("/api/auth/manage/2fa", new { enable = false }).Ok();
        Assert.False(disabled["isTwoFactorEnabled"]!.GetValue<bool>());
        Assert.False((await StoredUserAsync(email)).TwoFactorEnabled);
        (await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword })).AssertSuccess();
    }

    [Fact]
    public async Task AnOfficialCannotTurnTwoFactorSignInOff()
    {
        var official = factory.As(ScreeningFactory.OfficerCa2);

        (await official.RawPost("/api/auth/manage/2fa", new { enable = false })).AssertValidation("$.enable");

        Assert.True((await StoredUserAsync(ScreeningFactory.OfficerCa2)).TwoFactorEnabled);
        var userId = await factory.UserIdAsync(ScreeningFactory.OfficerCa2);
        Assert.DoesNotContain(await factory.StoredEventsAsync("user.two-factor-disabled"), e => e.Entry.Actor == userId);
        (await factory.Anonymous().RawPost("/api/auth/manage/2fa", new { })).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnOfficialCreatedByAnAdministratorMustEnrolInTheWebUiBeforeAnApiSignIn()
    {
        var email = $"new-official-{Guid.NewGuid():N}@screening.example";
        await factory.As(ScreeningFactory.Admin).Post("/api/admin/users",
            new { email, password = "New-Official-2027!", displayName = "New official", role = "officer", jurisdiction = "CA" }).Ok(HttpStatusCode.Created);

        var wrongPassword = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = "Not-Their-Password-1!" });
        var rightPassword = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = "New-Official-2027!", twoFactorCode = "123456" });

        Assert.Contains("email or password is wrong", wrongPassword.AssertProblem(HttpStatusCode.Unauthorized)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var problem = rightPassword.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.Contains("/account/login", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("enrol", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("accessToken", rightPassword.Text, StringComparison.Ordinal);
        var stored = await StoredUserAsync(email);
        Assert.False(stored.TwoFactorEnabled);
        // The right password reset the failure the wrong one counted.
        Assert.Equal(0, stored.AccessFailedCount);
    }

    [Fact]
    public async Task AnAdministratorsResetIsAuditedAndTheOfficialMustEnrolAgain()
    {
        var email = ScreeningFactory.OfficerMx2;
        var userId = await factory.UserIdAsync(email);
        var official = factory.As(email);
        await official.Post("/api/auth/manage/2fa", new { resetRecoveryCodes = true }).Ok();
        var before = (await factory.Anonymous().RawPost("/api/auth/login", ScreeningFactory.Credentials(email))).AssertSuccess();
        var stampBefore = (await StoredUserAsync(email)).SecurityStamp;
        var admin = factory.As(ScreeningFactory.Admin);

        (await official.RawPost($"/api/admin/users/{userId}/reset-two-factor")).AssertProblem(HttpStatusCode.Forbidden);
        (await admin.RawPost("/api/admin/users/no-such-user/reset-two-factor")).AssertProblem(HttpStatusCode.NotFound);
        var view = await admin.Post($"/api/admin/users/{userId}/reset-two-factor").Ok();

        Assert.Equal((userId, false), (view.S("id"), view["twoFactorEnabled"]!.GetValue<bool>()));
        var stored = await StoredUserAsync(email);
        Assert.False(stored.TwoFactorEnabled);
        Assert.NotEqual(stampBefore, stored.SecurityStamp);
        Assert.Equal(0, await RecoveryCodesLeftAsync(email));
        Assert.NotEqual(ScreeningFactory.TotpSecrets[email], await AuthenticatorKeyAsync(email));
        var adminId = await factory.UserIdAsync(ScreeningFactory.Admin);
        var entry = Assert.Single(await factory.StoredEventsAsync("user.two-factor-reset"), e => e.Data["user"]!.GetValue<string>() == userId);
        Assert.Equal(adminId, entry.Entry.Actor);
        Assert.True(entry.Data["wasEnabled"]!.GetValue<bool>());
        var listed = (await admin.Get("/api/admin/users").Ok()).AsArray().Single(u => u!.S("id") == userId)!;
        Assert.False(listed["twoFactorEnabled"]!.GetValue<bool>());
        Assert.True((await admin.Get("/api/admin/users").Ok()).AsArray().Single(u => u!.S("email") == ScreeningFactory.OfficerMx)!["twoFactorEnabled"]!.GetValue<bool>());

        // The old authenticator no longer signs in: the official is sent to enrol again.
        var old = await factory.Anonymous().RawPost("/api/auth/login", ScreeningFactory.Credentials(email));
        Assert.Contains("enrol", old.AssertProblem(HttpStatusCode.Unauthorized)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // The refresh token of a session from before the reset is refused.
        var refresh = await factory.Anonymous().RawPost("/api/auth/refresh", new { refreshToken = before.S("refreshToken") });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.Status);
        Assert.DoesNotContain("accessToken", refresh.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("twoFactorCode")]
    [InlineData("twoFactorRecoveryCode")]
    public async Task AnOverlongCodeIs400AndCountsNothing(string field)
    {
        var body = new JsonObject
        {
            ["email"] = ScreeningFactory.OfficerCa,
            ["password"] = ScreeningFactory.Passwords[ScreeningFactory.OfficerCa],
            [field] = new string('1', 65),
        };

        (await factory.Anonymous().RawPost("/api/auth/login", body)).AssertValidation($"$.{field}");
        (await factory.Anonymous().Raw(HttpMethod.Post, "/api/auth/login", $"{{\"email\":\"{ScreeningFactory.OfficerCa}\",\"password\":\"x\",\"{field}\":123456}}")).AssertValidation();

        Assert.Equal(0, (await StoredUserAsync(ScreeningFactory.OfficerCa)).AccessFailedCount);
    }

    /// <summary>Registers an applicant and turns two-factor sign-in on; returns the email and the shared key.</summary>
    private async Task<(string Email, string Secret)> RegisterWithTwoFactorAsync()
    {
        var email = NewEmail();
        await factory.Anonymous().Post("/api/auth/register", new { email, password = GoodPassword }).Ok(HttpStatusCode.Created);
        var client = Bearer((await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword })).AssertSuccess().S("accessToken"));
        var key = (await client.Post("/api/auth/manage/2fa", new { }).Ok()).S("sharedKey");
        await client.Post("/api/auth/manage/2fa", new { enable = true, twoFactorCode = Totp.Code(key) }).Ok();
        return (email, key);
    }

    /// <summary>A test that needs one code for two calls does not start at the end of a 30-second step.</summary>
    private static async Task WaitForAFreshStepAsync()
    {
        var left = Totp.LeftInStep(DateTimeOffset.UtcNow);
        if (left < TimeSpan.FromSeconds(8))
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(200));
        }
    }

    private static string NewEmail() => $"opt-in-{Guid.NewGuid():N}@example.com";

    private Task<ScreeningUser> StoredUserAsync(string email) =>
        factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));

    private async Task<int> RecoveryCodesLeftAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ScreeningUser>>();
        return await users.CountRecoveryCodesAsync((await users.FindByEmailAsync(email))!);
    }

    private async Task<string?> AuthenticatorKeyAsync(string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ScreeningUser>>();
        return await users.GetAuthenticatorKeyAsync((await users.FindByEmailAsync(email))!);
    }

    private HttpClient Bearer(string token) => BearerOn(factory, token);

    private static HttpClient BearerOn(ScreeningFactory host, string token)
    {
        var client = host.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
