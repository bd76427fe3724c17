using System.Net;
using System.Net.Http.Headers;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Identity;

/// <summary>
/// The refresh token that login hands out. Sign-in lifetimes run on real time even when case time is simulated,
/// so a refresh must work however far the simulated clock is ahead. The test sets the clock, so it has a host of its own.
/// </summary>
public sealed class TokenRefreshTests : IDisposable
{
    private readonly ScreeningFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ARefreshTokenGivesANewAccessTokenWhileSimulatedTimeRunsAheadOfRealTime()
    {
        // Simulated time a month past real time (more than the 14 days a refresh token lives in real time).
        var ahead = DateTimeOffset.UtcNow.AddDays(30) - _factory.Time.GetUtcNow();
        if (ahead > TimeSpan.Zero)
        {
            _factory.Time.Advance(ahead);
        }

        var login = (await _factory.Anonymous().RawPost("/api/auth/login",
            new { email = ScreeningFactory.Applicant, password = ScreeningFactory.Passwords[ScreeningFactory.Applicant] })).AssertSuccess();

        var refreshed = await _factory.Anonymous().RawPost("/api/auth/refresh", new { refreshToken = login.S("refreshToken") });

        Assert.True(refreshed.Status == HttpStatusCode.OK, $"Refresh answered {(int)refreshed.Status}: {refreshed.Text}");
        var body = refreshed.Json!;
        Assert.Equal("Bearer", body.S("tokenType"));
        var client = _factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.S("accessToken"));
        var me = await client.Get("/api/me").Ok();
        Assert.Equal(await _factory.UserIdAsync(ScreeningFactory.Applicant), me.S("id"));
    }
}
