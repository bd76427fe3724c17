using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Screening.Web.Identity;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Identity;

/// <summary>
/// POST /api/auth/login and POST /api/auth/register: bearer tokens in the shape of ASP.NET Core Identity's
/// endpoints, and applicant accounts that can file at once. One host for the class (every account is new).
/// </summary>
public sealed class AuthenticationTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string GoodPassword = "Registered-2027!";

    private static string NewEmail() => $"counsel-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task ASeededOfficialLogsInAndTheTokenCarriesRoleAndJurisdiction()
    {
        var response = await factory.Anonymous().RawPost("/api/auth/login", ScreeningFactory.Credentials(ScreeningFactory.OfficerMx));

        var body = response.AssertSuccess();
        Assert.Equal("Bearer", body.S("tokenType"));
        Assert.False(string.IsNullOrWhiteSpace(body.S("accessToken")));
        Assert.False(string.IsNullOrWhiteSpace(body.S("refreshToken")));
        Assert.Equal(3600, body["expiresIn"]!.GetValue<int>());
        var client = Bearer(body.S("accessToken"));
        var me = await client.Get("/api/me").Ok();
        Assert.Equal((await factory.UserIdAsync(ScreeningFactory.OfficerMx), ScreeningFactory.OfficerMx, "MX"), (me.S("id"), me.S("email"), me.S("jurisdiction")));
        Assert.Equal(["officer"], me["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await client.RawGet("/api/tasks")).Status);
    }

    [Fact]
    public async Task AnApplicantRegistersLogsInAndFilesACaseOfItsOwn()
    {
        var email = NewEmail();

        var registered = await factory.Anonymous().RawPost("/api/auth/register", new { email, password = GoodPassword });

        var account = registered.AssertSuccess(HttpStatusCode.Created);
        Assert.Equal((email, "applicant"), (account.S("email"), account["roles"]![0]!.GetValue<string>()));
        Assert.Single(account["roles"]!.AsArray());
        Assert.Null(account["jurisdiction"]);
        Assert.Equal("/api/me", registered.Header("Location"));
        var userId = account.S("id");
        var stored = await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.Equal((userId, (string?)null), (stored.Id, stored.Jurisdiction));
        var roles = await factory.QueryAsync(db => db.UserRoles.Where(ur => ur.UserId == userId).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync());
        Assert.Equal(["applicant"], roles);
        Assert.Equal(userId, Assert.Single(await factory.StoredEventsAsync("user.registered"), e => e.Entry.Actor == userId).Entry.Actor);

        var client = await LoginAsync(email, GoodPassword);
        var created = (await client.RawPost("/api/cases", Scenario.LowRiskCa())).AssertSuccess(HttpStatusCode.Created);

        Assert.Equal(userId, (await factory.StoredCaseAsync(created.S("id"))).ApplicantId);
        var list = await client.RawGet("/api/cases");
        Assert.Equal([created.S("id")], list.AssertSuccess().AsArray().Select(c => c.S("id")));
        Assert.Equal("1", list.Header("X-Total-Count"));
        (await client.RawGet("/api/tasks")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RegistrationCannotGrantAnOfficialRoleOrJurisdiction()
    {
        var email = NewEmail();

        var account = (await factory.Anonymous().RawPost("/api/auth/register",
            new { email, password = GoodPassword, roles = new[] { "admin", "officer" }, jurisdiction = "CA" })).AssertSuccess(HttpStatusCode.Created);

        Assert.Equal(["applicant"], account["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Null((await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email))).Jurisdiction);
        var client = await LoginAsync(email, GoodPassword);
        (await client.RawGet("/api/audit/verify")).AssertProblem(HttpStatusCode.Forbidden);
        (await client.RawGet("/api/tasks")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task RegisteringAnEmailThatExistsIs400AndKeepsOneAccount()
    {
        var email = NewEmail();
        await factory.Anonymous().Post("/api/auth/register", new { email, password = GoodPassword }).Ok(HttpStatusCode.Created);

        (await factory.Anonymous().RawPost("/api/auth/register", new { email, password = "Another-2027-pass!" })).AssertValidation("$.email");
        (await factory.Anonymous().RawPost("/api/auth/register", new { email = ScreeningFactory.Admin, password = GoodPassword })).AssertValidation("$.email");

        Assert.Equal(1, await factory.QueryAsync(db => db.Users.CountAsync(u => u.Email == email)));
        await LoginAsync(email, GoodPassword);
        await LoginAsync(ScreeningFactory.Admin, ScreeningFactory.Passwords[ScreeningFactory.Admin], ScreeningFactory.TwoFactorCode(ScreeningFactory.Admin));
    }

    [Theory]
    [InlineData("{\"email\": \"weak@example.com\", \"password\": \"short\"}", "$.password")]
    [InlineData("{\"email\": \"weak2@example.com\", \"password\": \"alllowercaseletters\"}", "$.password")]
    [InlineData("{\"email\": \"not-an-email\", \"password\": \"Registered-2027!\"}", "$.email")]
    [InlineData("{\"password\": \"Registered-2027!\"}", "$.email")]
    [InlineData("{\"email\": \"nopassword@example.com\"}", "$.password")]
    [InlineData("{}", "$.email")]
    public async Task ABadRegistrationIs400WithTheFieldAndCreatesNoAccount(string body, string path)
    {
        var before = await factory.QueryAsync(db => db.Users.CountAsync());

        (await factory.Anonymous().Raw(HttpMethod.Post, "/api/auth/register", body)).AssertValidation(path);

        Assert.Equal(before, await factory.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task AMalformedRegistrationOrLoginBodyIs400()
    {
        var before = await factory.QueryAsync(db => db.Users.CountAsync());

        (await factory.Anonymous().Raw(HttpMethod.Post, "/api/auth/register", "{\"email\": ")).AssertValidation();
        (await factory.Anonymous().Raw(HttpMethod.Post, "/api/auth/login", "{\"email\": ")).AssertValidation();

        Assert.Equal(before, await factory.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task AWrongPasswordIs401AndCountsAsAFailedAttempt()
    {
        var email = NewEmail();
        await factory.Anonymous().Post("/api/auth/register", new { email, password = GoodPassword }).Ok(HttpStatusCode.Created);

        var response = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = "Wrong-password-1!" });

        var problem = response.AssertProblem(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("accessToken", response.Text, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        var stored = await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.Equal(1, stored.AccessFailedCount);
        (await factory.Anonymous().RawPost("/api/auth/login", new { email = NewEmail(), password = GoodPassword })).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task FiveWrongPasswordsLockTheAccountAndEvenTheRightOneIs429()
    {
        var email = NewEmail();
        await factory.Anonymous().Post("/api/auth/register", new { email, password = GoodPassword }).Ok(HttpStatusCode.Created);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await factory.Anonymous().RawPost("/api/auth/login", new { email, password = $"Wrong-password-{i}!" })).Status);
        }

        var right = await factory.Anonymous().RawPost("/api/auth/login", new { email, password = GoodPassword });

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses.Take(4), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        right.AssertProblem(HttpStatusCode.TooManyRequests);
        Assert.DoesNotContain("accessToken", right.Text, StringComparison.Ordinal);
        var stored = await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        Assert.NotNull(stored.LockoutEnd);
    }

    [Theory]
    [InlineData("{\"password\": \"x\"}", "$.email")]
    [InlineData("{\"email\": \"admin@screening.example\"}", "$.password")]
    [InlineData("{\"email\": \"  \", \"password\": \"\"}", "$.email")]
    public async Task ALoginWithoutEmailOrPasswordIs400(string body, string path)
    {
        (await factory.Anonymous().Raw(HttpMethod.Post, "/api/auth/login", body)).AssertValidation(path);

        var admin = await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == ScreeningFactory.Admin));
        Assert.Equal(0, admin.AccessFailedCount);
    }

    [Fact]
    public async Task WhoAmIWithoutATokenIs401()
    {
        (await factory.Anonymous().RawGet("/api/me")).AssertProblem(HttpStatusCode.Unauthorized);
        (await Bearer("garbage").RawGet("/api/me")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AKeptTokenStillAuthenticatesAndAnAlteredOneOrTheRefreshTokenDoesNot()
    {
        var options = factory.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>();
        Assert.IsType<KeptBearerTickets>(options.Get(IdentityConstants.BearerScheme).BearerTokenProtector);

        var body = (await factory.Anonymous().RawPost("/api/auth/login", ScreeningFactory.Credentials(ScreeningFactory.OfficerCa))).AssertSuccess();
        var token = body.S("accessToken");
        var userId = await factory.UserIdAsync(ScreeningFactory.OfficerCa);
        Assert.Equal(userId, (await Bearer(token).Get("/api/me").Ok()).S("id"));
        Assert.Equal(userId, (await Bearer(token).Get("/api/me").Ok()).S("id"));

        var altered = token[..^2] + (token[^2] == 'A' ? 'B' : 'A') + token[^1];
        (await Bearer(altered).RawGet("/api/me")).AssertProblem(HttpStatusCode.Unauthorized);
        (await Bearer(body.S("refreshToken")).RawGet("/api/me")).AssertProblem(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AForgedRefreshTokenIsRefused401()
    {
        var refreshed = await factory.Anonymous().RawPost("/api/auth/refresh", new { refreshToken = "forged" });

        Assert.Equal(HttpStatusCode.Unauthorized, refreshed.Status);
        Assert.DoesNotContain("accessToken", refreshed.Text, StringComparison.Ordinal);
    }

    private async Task<HttpClient> LoginAsync(string email, string password, string? twoFactorCode = null)
    {
        var login = (await factory.Anonymous().RawPost("/api/auth/login", new { email, password, twoFactorCode })).AssertSuccess();
        var client = Bearer(login.S("accessToken"));
        Assert.Equal(email, (await client.Get("/api/me").Ok()).S("email"));
        return client;
    }

    private HttpClient Bearer(string token)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
