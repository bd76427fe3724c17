using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// POST /api/cases/{id}/requests/{requestId}/response: the owning applicant answers an open request once.
/// One host for the class: no test here moves the clock.
/// </summary>
public sealed class InformationRequestAnswerTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task TheOwnerAnswersAndTheCaseGoesBackToReviewWithItsClockRunning()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Give the shareholder register.");
        var waiting = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal("awaiting-applicant", waiting.S("status"));
        Assert.True(waiting["clocks"]![0]!["running"]!.GetValue<bool>()); // a Canadian period never stops for a request

        var response = await factory.As(ScreeningFactory.Applicant)
            .RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "  The register is attached as schedule B.  " });

        var body = response.AssertSuccess();
        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal((id, stored.Reference, "in-review"), (body.S("id"), body.S("reference"), body.S("status")));
        Assert.Equal("in-review", stored.Status);
        var request = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.Equal("answered", request.Status);
        Assert.NotNull(request.ClosedAt);
        Assert.Contains("The register is attached as schedule B.", (await factory.StoredInstanceAsync(id)).StateJson, StringComparison.Ordinal);
        var answered = Assert.Single(await factory.StoredEventsAsync("request.answered", id));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Applicant), answered.Entry.Actor);
        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Empty(view["openRequests"]!.AsArray());
        Assert.True(view["clocks"]![0]!["running"]!.GetValue<bool>());
    }

    [Fact]
    public async Task TheAnswerIsStoredWithItsRequestAndTheOfficerWhoAskedCanReadIt()
    {
        const string answer = "ANSWER-7731 The register is attached as schedule C.";
        var (id, taskId, requestId) = await _steps.AwaitingApplicantAsync("Give the register of shareholders.");

        await factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/requests/{requestId}/response", new { answer }).Ok();

        var request = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.Equal(("answered", answer), (request.Status, request.Answer));
        var officerViews = new[]
        {
            await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/cases/{id}"),
            await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/tasks/{taskId}"),
            await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/cases/{id}/audit"),
        };
        Assert.Contains(officerViews, v => v.Text.Contains("ANSWER-7731", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnsweringAnAnsweredRequestIs409AndChangesNothing()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Name the ultimate parent's directors.");
        var applicant = factory.As(ScreeningFactory.Applicant);
        await applicant.Post($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Listed in annex 3." }).Ok();
        var auditBefore = await factory.AuditCountAsync();
        var versionBefore = (await factory.StoredInstanceAsync(id)).Version;

        var again = await applicant.RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Again." });

        again.AssertProblem(HttpStatusCode.Conflict);
        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal(versionBefore, (await factory.StoredInstanceAsync(id)).Version);
        Assert.DoesNotContain("Again.", (await factory.StoredInstanceAsync(id)).StateJson, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"answer\": \"   \"}")]
    [InlineData("{\"answer\": \"\"}")]
    [InlineData("{}")]
    public async Task AnEmptyAnswerIs400AndTheRequestStaysOpen(string body)
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Describe the offtake agreement.");

        var response = await factory.As(ScreeningFactory.Applicant).Raw(HttpMethod.Post, $"/api/cases/{id}/requests/{requestId}/response", body);

        response.AssertValidation("$.answer");
        await AssertStillOpen(id, requestId);
    }

    [Fact]
    public async Task AMalformedAnswerBodyIs400AndTheRequestStaysOpen()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Describe the board.");

        var response = await factory.As(ScreeningFactory.Applicant).Raw(HttpMethod.Post, $"/api/cases/{id}/requests/{requestId}/response", "{\"answer\": ");

        response.AssertValidation();
        await AssertStillOpen(id, requestId);
    }

    [Fact]
    public async Task AnotherApplicantGets404AndTheRequestStaysOpen()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Who finances the deal?");

        var response = await factory.As(ScreeningFactory.OtherApplicant).RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Not mine to say." });

        response.AssertProblem(HttpStatusCode.NotFound);
        await AssertStillOpen(id, requestId);
    }

    [Fact]
    public async Task AnUnknownRequestOrATaskIdUsedAsARequestIs404()
    {
        var (id, taskId, requestId) = await _steps.AwaitingApplicantAsync("Who signs?");
        var applicant = factory.As(ScreeningFactory.Applicant);

        (await applicant.RawPost($"/api/cases/{id}/requests/{Guid.NewGuid()}/response", new { answer = "x" })).AssertProblem(HttpStatusCode.NotFound);
        (await applicant.RawPost($"/api/cases/{id}/requests/{taskId}/response", new { answer = "x" })).AssertProblem(HttpStatusCode.NotFound);
        (await applicant.RawPost($"/api/cases/{Guid.NewGuid()}/requests/{requestId}/response", new { answer = "x" })).AssertProblem(HttpStatusCode.NotFound);

        await AssertStillOpen(id, requestId);
        Assert.Equal("claimed", (await factory.StoredTaskAsync(taskId)).Status);
    }

    [Fact]
    public async Task AnOfficialCannotAnswerForTheApplicant403()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("What is the closing date?");

        (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Soon." }))
            .AssertProblem(HttpStatusCode.Forbidden);

        await AssertStillOpen(id, requestId);
    }

    [Fact]
    public async Task AnsweringWithoutATokenIs401()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("What is the value?");

        (await factory.Anonymous().RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Ten." }))
            .AssertProblem(HttpStatusCode.Unauthorized);

        await AssertStillOpen(id, requestId);
    }

    private async Task AssertStillOpen(string caseId, string requestId)
    {
        var request = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.Equal("open", request.Status);
        Assert.Equal("awaiting-applicant", (await factory.StoredCaseAsync(caseId)).Status);
        Assert.Empty(await factory.StoredEventsAsync("request.answered", caseId));
        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{caseId}").Ok();
        Assert.Equal(requestId, view["openRequests"]![0].S("id"));
    }
}
