using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Security;

/// <summary>The host with a small number of writes per user per minute.</summary>
public sealed class WriteThrottledScreeningFactory : ScreeningFactory
{
    public const int Limit = 4;

    protected override int WritesPerMinute => Limit;
}

/// <summary>The host with a small number of sign-in attempts per account and per address each minute.</summary>
public sealed class LoginThrottledScreeningFactory : ScreeningFactory
{
    public const int Limit = 3;

    public const int AddressLimit = 8;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Screening:RateLimits:LoginsPerMinute", Limit.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("Screening:RateLimits:SignInsPerAddressPerMinute", AddressLimit.ToString(CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Throttling (429 with Retry-After and a problem document), the security headers of API responses and
/// pages, the sign-in cookie's flags, and who may open the Hangfire dashboard.
/// </summary>
public sealed partial class ThrottlingAndHeadersTests(ScreeningFactory factory, WriteThrottledScreeningFactory throttled)
    : IClassFixture<ScreeningFactory>, IClassFixture<WriteThrottledScreeningFactory>
{
    private static readonly string[] SafeReferrerPolicies = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"];

    [Fact]
    public async Task WritesBeyondTheLimitAreRefusedWith429AndRetryAfterForThatUserAlone()
    {
        var applicant = throttled.As(ScreeningFactory.Applicant);
        var other = throttled.As(ScreeningFactory.OtherApplicant);
        var applicantId = await UserIdAsync(throttled, ScreeningFactory.Applicant);

        for (var i = 0; i < WriteThrottledScreeningFactory.Limit; i++)
        {
            var filed = await applicant.CallJson(HttpMethod.Post, "/api/cases", Scenario.LowRiskCa());
            Assert.True(filed.Status == HttpStatusCode.Created, $"write {i + 1} of {WriteThrottledScreeningFactory.Limit}: {filed.Describe()}");
        }

        var refused = await applicant.CallJson(HttpMethod.Post, "/api/cases", Scenario.LowRiskCa());

        Assert.True(refused.Status == HttpStatusCode.TooManyRequests, refused.Describe());
        Assert.True(refused.IsProblem(out var why), why);
        Assert.Equal(("Too many requests.", "https://www.rfc-editor.org/rfc/rfc6585#section-4"), (refused.Json!["title"]!.GetValue<string>(), refused.Json["type"]!.GetValue<string>()));
        Assert.True(int.TryParse(refused.Header("Retry-After"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60,
            $"Retry-After is '{refused.Header("Retry-After")}'");
        Assert.Equal(WriteThrottledScreeningFactory.Limit, await throttled.QueryAsync(db => db.Cases.CountAsync(c => c.ApplicantId == applicantId)));

        // Reads are not writes, and the other applicant has a budget of its own.
        var list = await applicant.Call(HttpMethod.Get, "/api/cases");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(WriteThrottledScreeningFactory.Limit, list.Json!.AsArray().Count);
        var otherFiled = await other.CallJson(HttpMethod.Post, "/api/cases", Scenario.LowRiskMx());
        Assert.True(otherFiled.Status == HttpStatusCode.Created, otherFiled.Describe());
        var otherId = await UserIdAsync(throttled, ScreeningFactory.OtherApplicant);
        Assert.Equal(1, await throttled.QueryAsync(db => db.Cases.CountAsync(c => c.ApplicantId == otherId)));
    }

    [Fact]
    public async Task SignInAttemptsBeyondTheLimitAreRefusedWith429EvenWithTheRightPassword()
    {
        await using var limited = new LoginThrottledScreeningFactory();
        var anonymous = limited.Anonymous();
        for (var i = 0; i < LoginThrottledScreeningFactory.Limit; i++)
        {
            var wrong = await anonymous.CallJson(HttpMethod.Post, "/api/auth/login", new { email = ScreeningFactory.Applicant, password = "Not-The-Password-1!" });
            Assert.True(wrong.Status == HttpStatusCode.Unauthorized && wrong.IsProblem(out _), $"attempt {i + 1}: {wrong.Describe()}");
        }

        var right = await anonymous.CallJson(HttpMethod.Post, "/api/auth/login",
            new { email = ScreeningFactory.Applicant, password = ScreeningFactory.Passwords[ScreeningFactory.Applicant] });

        Assert.True(right.Status == HttpStatusCode.TooManyRequests, right.Describe());
        Assert.True(right.IsProblem(out var why), why);
        Assert.Null(right.Json!["accessToken"]);
        Assert.True(int.TryParse(right.Header("Retry-After"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 60,
            $"Retry-After is '{right.Header("Retry-After")}'");

        // Past the coarse limit per address, registration is throttled with sign-in and stores no account.
        for (var i = 0; i < LoginThrottledScreeningFactory.AddressLimit; i++)
        {
            await anonymous.CallJson(HttpMethod.Post, "/api/auth/login", new { email = $"someone{i}@example.com", password = "Not-The-Password-1!" });
        }

        var register = await anonymous.CallJson(HttpMethod.Post, "/api/auth/register", new { email = "throttled.registration@example.com", password = "Throttled-2027!" });
        Assert.Equal(HttpStatusCode.TooManyRequests, register.Status);
        Assert.False(await limited.QueryAsync(db => db.Users.AnyAsync(u => u.Email == "throttled.registration@example.com")));
    }

    /// <summary>
    /// RateLimitOptions.LoginsPerMinute is documented as "sign-in attempts per minute from one address for one
    /// account" (and RateLimits as "per address and account"): guessing one account's password must not keep
    /// another account from signing in.
    /// </summary>
    [Fact]
    public async Task FailedAttemptsOnOneAccountDoNotThrottleAnotherAccountsSignIn()
    {
        await using var limited = new LoginThrottledScreeningFactory();
        var anonymous = limited.Anonymous();
        for (var i = 0; i < LoginThrottledScreeningFactory.Limit; i++)
        {
            await anonymous.CallJson(HttpMethod.Post, "/api/auth/login", new { email = "victim-guess@example.com", password = $"Guess-{i}-Password!" });
        }

        var other = await anonymous.CallJson(HttpMethod.Post, "/api/auth/login",
            new { email = ScreeningFactory.Applicant, password = ScreeningFactory.Passwords[ScreeningFactory.Applicant] });

        Assert.True(other.Status == HttpStatusCode.OK, $"Another account's first sign-in was refused: {other.Describe()}");
        Assert.False(string.IsNullOrEmpty(other.Json?["accessToken"]?.GetValue<string>()));
    }

    [Fact]
    public async Task ApiResponsesCarryTheSecurityHeaders()
    {
        var anonymous = factory.Anonymous();
        var responses = new[]
        {
            await anonymous.Call(HttpMethod.Get, "/api/calendars"),
            await anonymous.Call(HttpMethod.Get, "/api/cases"),
            await factory.As(ScreeningFactory.Applicant).CallJson(HttpMethod.Post, "/api/cases", "{ not json"),
        };

        Assert.Equal(new[] { HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest }, responses.Select(r => r.Status));
        Assert.Contains("CA", responses[0].Json!.AsArray().Select(c => c.S("code")));
        Assert.All(responses.Skip(1), r => Assert.True(r.IsProblem(out var why), why));
        Assert.All(responses, AssertSecurityHeaders);
    }

    [Fact]
    public async Task PagesCarryTheSecurityHeaders()
    {
        var client = Browser(factory);

        var page = await client.Call(HttpMethod.Get, "/account/login");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("text/html", page.MediaType);
        Assert.Contains("__RequestVerificationToken", page.Text, StringComparison.Ordinal);
        AssertSecurityHeaders(page);
    }

    [Fact]
    public async Task TheSignInCookieFromTheLoginPageIsSecureAndHttpOnly()
    {
        var (response, cookie) = await SignInWithTheFormAsync(factory, ScreeningFactory.Applicant);

        Assert.True(response.Code is 302 or 303, $"the sign-in did not redirect: {response.Describe()}");
        var setCookie = response.SetCookies.Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        var attributes = setCookie.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("secure", attributes);
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        AssertSecurityHeaders(response);

        // The cookie signs the applicant in on the pages, which send everyone else to the sign-in page.
        var mine = await Browser(factory).Call(HttpMethod.Get, "/cases", headers: new Dictionary<string, string> { ["Cookie"] = cookie });
        var nobody = await Browser(factory).Call(HttpMethod.Get, "/cases");
        Assert.Equal(HttpStatusCode.OK, mine.Status);
        Assert.True(nobody.Code is 302 or 303 && nobody.Header("Location")?.Contains("/account/login", StringComparison.Ordinal) == true, nobody.Describe());
    }

    [Theory]
    [InlineData(ScreeningFactory.Applicant)]
    [InlineData("not-an-email")]
    public async Task TheSignInPageNeverRendersATypedPasswordBack(string email)
    {
        const string typed = "Typed-Secret-2027!";
        var client = Browser(factory);
        var page = await client.Call(HttpMethod.Get, "/account/login");
        var antiforgery = page.SetCookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = typed,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenField().Match(page.Text).Groups["value"].Value),
        });

        var response = await client.Call(HttpMethod.Post, "/account/login", form, new Dictionary<string, string> { ["Cookie"] = antiforgery });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Contains("id=\"password\"", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(typed, response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheJobsDashboardRefusesAnonymousUsersAndNonAdminsAndServesAdminsWithACookie()
    {
        var anonymous = await Browser(factory).Call(HttpMethod.Get, "/jobs");
        var applicantToken = await WithBearer(factory, ScreeningFactory.Applicant).Call(HttpMethod.Get, "/jobs");
        var officerToken = await WithBearer(factory, ScreeningFactory.OfficerCa).Call(HttpMethod.Get, "/jobs");
        var (_, officerCookie) = await SignInWithTheFormAsync(factory, ScreeningFactory.DecisionMx);
        var officerByCookie = await Browser(factory).Call(HttpMethod.Get, "/jobs", headers: new Dictionary<string, string> { ["Cookie"] = officerCookie });
        var (_, adminCookie) = await SignInWithTheFormAsync(factory, ScreeningFactory.Admin);
        var admin = await Browser(factory).Call(HttpMethod.Get, "/jobs", headers: new Dictionary<string, string> { ["Cookie"] = adminCookie });

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.Forbidden, applicantToken.Status);
        Assert.Equal(HttpStatusCode.Forbidden, officerToken.Status);
        Assert.Equal(HttpStatusCode.Forbidden, officerByCookie.Status);
        Assert.All(new[] { anonymous, applicantToken, officerToken, officerByCookie }, r => Assert.DoesNotContain("Screening jobs", r.Text, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, admin.Status);
        Assert.Equal("text/html", admin.MediaType);
        Assert.Contains("Screening jobs", admin.Text, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", admin.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", admin.Header("X-Frame-Options"));
    }

    /// <summary>
    /// The host serves plain http by default (http://localhost:5080 in API.md), and "no input ever yields a 500".
    /// The dashboard asks anti-forgery for tokens before it authorizes; with an always-Secure anti-forgery cookie
    /// that threw on every request that is not https, so every /jobs request over http was a 500.
    /// </summary>
    [Fact]
    public async Task TheJobsDashboardOverPlainHttpRefusesAnonymousUsersInsteadOfFailing()
    {
        var response = await factory.Anonymous().Call(HttpMethod.Get, "/jobs");

        Assert.True(response.Status == HttpStatusCode.Unauthorized, $"GET http://localhost/jobs without a token: expected 401, got {response.Describe()}");
    }

    private static void AssertSecurityHeaders(SecurityResponse response)
    {
        var where = $"{response.Code} {response.MediaType}";
        Assert.True(response.Header("Content-Security-Policy") is { } csp && csp.Contains("frame-ancestors 'none'", StringComparison.Ordinal),
            $"{where}: Content-Security-Policy is '{response.Header("Content-Security-Policy")}'");
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Contains(response.Header("Referrer-Policy"), SafeReferrerPolicies);
    }

    /// <summary>A browser-like client: https (the cookies are Secure), no cookie jar, no redirects followed.</summary>
    private static HttpClient Browser(ScreeningFactory host) => host.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        HandleCookies = false,
        AllowAutoRedirect = false,
    });

    private static HttpClient WithBearer(ScreeningFactory host, string email)
    {
        var client = Browser(host);
        client.DefaultRequestHeaders.Authorization = host.As(email).DefaultRequestHeaders.Authorization;
        return client;
    }

    /// <summary>
    /// Signs in through the /account/login form as a browser does: reads the anti-forgery token and cookie from
    /// the page, posts the form back with them, and for an account with two-factor sign-in does the same on the
    /// code page it is sent to. Returns the last response and the sign-in cookie ("name=value").
    /// </summary>
    private static async Task<(SecurityResponse Response, string Cookie)> SignInWithTheFormAsync(ScreeningFactory host, string email)
    {
        var client = Browser(host);
        var page = await client.Call(HttpMethod.Get, "/account/login");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var token = TokenField().Match(page.Text);
        Assert.True(token.Success, "The login page has no __RequestVerificationToken field.");
        var antiforgery = page.SetCookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = ScreeningFactory.Passwords[email],
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        });
        var response = await client.Call(HttpMethod.Post, "/account/login", form, new Dictionary<string, string> { ["Cookie"] = antiforgery });
        if (ScreeningFactory.TotpSecrets.ContainsKey(email))
        {
            Assert.True(response.Header("Location")?.Contains("/account/login/code", StringComparison.Ordinal) == true, $"{email} was not sent to the code step: {response.Describe()}");
            var twoFactor = response.SetCookies.Select(c => c.Split(';')[0]).Single(c => c.StartsWith("Identity.TwoFactorUserId=", StringComparison.Ordinal));
            var cookies = new Dictionary<string, string> { ["Cookie"] = $"{antiforgery}; {twoFactor}" };
            var codePage = await client.Call(HttpMethod.Get, "/account/login/code", headers: cookies);
            var codeToken = TokenField().Match(codePage.Text);
            Assert.True(codeToken.Success, $"The code page has no __RequestVerificationToken field: {codePage.Describe()}");
            using var codeForm = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login-code",
                ["Input.Code"] = ScreeningFactory.TwoFactorCode(email),
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(codeToken.Groups["value"].Value),
            });
            response = await client.Call(HttpMethod.Post, "/account/login/code", codeForm, cookies);
        }

        var signIn = response.SetCookies.Select(c => c.Split(';')[0]).SingleOrDefault(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.True(signIn is not null, $"Signing in as {email} set no sign-in cookie: {response.Describe()} {string.Join(" | ", response.SetCookies)}");
        return (response, signIn);
    }

    private static Task<string> UserIdAsync(ScreeningFactory host, string email) =>
        host.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
