using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>POST /api/cases/{id}/withdraw: the owner withdraws once, before a decision; nobody else can. One host for the class.</summary>
public sealed class WithdrawalTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task TheOwnerWithdrawsACaseUnderReviewAndEveryOpenTaskAndTimerIsCancelled()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());

        var response = await factory.As(ScreeningFactory.Applicant).RawPost($"/api/cases/{id}/withdraw");

        var body = response.AssertSuccess();
        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal((id, stored.Reference, "withdrawn"), (body.S("id"), body.S("reference"), body.S("status")));
        Assert.Equal(("withdrawn", "withdrawn"), (stored.Status, stored.Stage));
        var tasks = await factory.StoredTasksAsync(id);
        Assert.Equal(["completed", "cancelled", "cancelled"], tasks.Select(t => t.Status));
        var timers = await factory.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.InstanceId == Guid.Parse(id)).ToListAsync());
        Assert.DoesNotContain(timers, t => t.State == TimerStates.Pending);
        var withdrawn = Assert.Single(await factory.StoredEventsAsync("case.withdrawn", id));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Applicant), withdrawn.Entry.Actor);
        Assert.Equal("finished", (await factory.StoredInstanceAsync(id)).Status);
        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal("withdrawn", view.S("status"));
        Assert.Empty(await factory.As(ScreeningFactory.OfficerCa).Get($"/api/tasks?caseId={id}").Ok() as System.Text.Json.Nodes.JsonArray ?? []);
    }

    [Fact]
    public async Task WithdrawingTwiceIs409AndRecordsOneWithdrawal()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        await factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/withdraw").Ok();
        var auditBefore = await factory.AuditCountAsync();

        var again = await factory.As(ScreeningFactory.Applicant).RawPost($"/api/cases/{id}/withdraw");

        again.AssertProblem(HttpStatusCode.Conflict);
        Assert.Single(await factory.StoredEventsAsync("case.withdrawn", id));
        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal("withdrawn", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task ADecidedCaseCannotBeWithdrawn409()
    {
        var id = await _steps.ClearedAsync();

        (await factory.As(ScreeningFactory.Applicant).RawPost($"/api/cases/{id}/withdraw")).AssertProblem(HttpStatusCode.Conflict);

        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal("decided", stored.Status);
        Assert.Empty(await factory.StoredEventsAsync("case.withdrawn", id));
    }

    [Fact]
    public async Task AnotherApplicantGets404AndTheCaseGoesOn()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        (await factory.As(ScreeningFactory.OtherApplicant).RawPost($"/api/cases/{id}/withdraw")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.As(ScreeningFactory.OtherApplicant).RawPost($"/api/cases/{Guid.NewGuid()}/withdraw")).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal("submitted", (await factory.StoredCaseAsync(id)).Status);
        Assert.Empty(await factory.StoredEventsAsync("case.withdrawn", id));
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.Admin)]
    public async Task AnOfficialCannotWithdrawACase403(string official)
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        (await factory.As(official).RawPost($"/api/cases/{id}/withdraw")).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal("submitted", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task WithdrawingWithoutATokenIs401()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        (await factory.Anonymous().RawPost($"/api/cases/{id}/withdraw")).AssertProblem(HttpStatusCode.Unauthorized);

        Assert.Equal("submitted", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task ACaseAwaitingTheApplicantCanBeWithdrawnAndItsRequestIsClosed()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Who are the directors?");

        var body = (await factory.As(ScreeningFactory.Applicant).RawPost($"/api/cases/{id}/withdraw")).AssertSuccess();

        Assert.Equal("withdrawn", body.S("status"));
        var request = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        Assert.NotEqual("open", request.Status);
        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Empty(view["openRequests"]!.AsArray());
        (await factory.As(ScreeningFactory.Applicant).RawPost($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Too late." }))
            .AssertProblem(HttpStatusCode.Conflict);
        Assert.Empty(await factory.StoredEventsAsync("request.answered", id));
    }
}
