using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// The partner jurisdiction's comment, the officers' task comments and their case notes never reach the applicant:
/// checked on the raw JSON text of every response an applicant can get (GET case, GET cases, an answer, a withdrawal,
/// notifications).
/// </summary>
public sealed class ApplicantConfidentialityTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string PartnerComment = "PARTNER-SECRET Mexico sees links between the investor and a state buyer";
    private const string HostNote = "HOST-NOTE the register shows a nominee director";
    private const string ConsideredNote = "CONSIDERED-NOTE offtake condition to be proposed";
    private const string RestrictedNote = "RESTRICTED-NOTE call the ministry before deciding";
    private const string SharedNote = "SHARED-NOTE both governments should see the offtake terms";

    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task NoResponseAnApplicantCanGetCarriesThePartnersCommentOrTheOfficersNotes()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "partner-consultation", "comment", PartnerComment);
        var hostTask = await _steps.ClaimAsync(ScreeningFactory.OfficerCa, id, "host-review");
        var officer = factory.As(ScreeningFactory.OfficerCa);
        var request = await officer.Post($"/api/tasks/{hostTask}/request-information", new { question = "Send the register of directors.", dueInDays = 20 }).Ok();
        (await officer.RawPost($"/api/cases/{id}/notes", new { text = RestrictedNote, restricted = true })).AssertSuccess(System.Net.HttpStatusCode.Created);
        (await officer.RawPost($"/api/cases/{id}/notes", new { text = SharedNote, restricted = false })).AssertSuccess(System.Net.HttpStatusCode.Created);
        var applicant = factory.As(ScreeningFactory.Applicant);
        var responses = new List<(string What, RawResponse Response)>
        {
            ("GET case while awaiting", await applicant.RawGet($"/api/cases/{id}")),
            ("GET cases while awaiting", await applicant.RawGet("/api/cases?pageSize=100")),
            ("POST answer", await applicant.RawPost($"/api/cases/{id}/requests/{request.S("requestId")}/response", new { answer = "Attached." })),
        };

        await officer.Post($"/api/tasks/{hostTask}/complete", new { outcome = "escalate", comment = HostNote }).Ok();
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "consider-partner-comments", "considered", ConsideredNote);
        responses.Add(("GET case in extended review", await applicant.RawGet($"/api/cases/{id}")));
        responses.Add(("GET cases in extended review", await applicant.RawGet("/api/cases?pageSize=100")));
        responses.Add(("POST withdraw", await applicant.RawPost($"/api/cases/{id}/withdraw")));
        responses.Add(("GET case withdrawn", await applicant.RawGet($"/api/cases/{id}")));
        await DeliverNotificationsAsync(id);
        responses.Add(("GET notifications", await applicant.RawGet("/api/notifications")));

        foreach (var (what, response) in responses)
        {
            Assert.True(response.Status == System.Net.HttpStatusCode.OK, $"{what}: {(int)response.Status} {response.Text}");
            Assert.DoesNotContain("SECRET", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("HOST-NOTE", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("CONSIDERED-NOTE", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("nominee director", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("state buyer", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("RESTRICTED-NOTE", response.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SHARED-NOTE", response.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("withdrawn", responses[5].Response.Json.S("status"));

        // The texts are really stored and shown to officials: the checks above are not vacuous.
        var tasks = await factory.StoredTasksAsync(id);
        Assert.Equal(PartnerComment, tasks.Single(t => t.StepId == "partner-consultation").Comment);
        Assert.Equal(HostNote, tasks.Single(t => t.StepId == "host-review").Comment);
        var government = await factory.As(ScreeningFactory.OfficerCa).RawGet($"/api/cases/{id}");
        Assert.Contains(PartnerComment, government.Text, StringComparison.Ordinal);
        Assert.Contains(HostNote, government.Text, StringComparison.Ordinal);
        Assert.Contains(ConsideredNote, government.Text, StringComparison.Ordinal);
        Assert.Contains(RestrictedNote, government.Text, StringComparison.Ordinal);
        Assert.Contains(SharedNote, government.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePartnersCommentStaysHiddenFromTheApplicantAfterADecisionWithConditions()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "partner-consultation", "comment", PartnerComment);
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "host-review", "escalate", HostNote);
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "consider-partner-comments", "considered", ConsideredNote);
        await _steps.Scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "minister-initial", "make-order");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa2, id, "full-review", "recommend-undertakings");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.DecisionCa, id, "minister-final", "close-on-undertakings", "DECISION-NOTE internal reasoning",
            [new { text = "Keep lithium offtake in North America", dueInDays = 180 }]);
        await DeliverNotificationsAsync(id);
        var applicant = factory.As(ScreeningFactory.Applicant);

        var texts = new[]
        {
            await applicant.RawGet($"/api/cases/{id}"),
            await applicant.RawGet("/api/cases?pageSize=100"),
            await applicant.RawGet("/api/notifications"),
        };

        Assert.Equal("cleared-with-conditions", texts[0].Json!["decision"].S("outcome"));
        Assert.Contains("Keep lithium offtake in North America", texts[0].Text, StringComparison.Ordinal);
        Assert.All(texts, t =>
        {
            Assert.DoesNotContain("SECRET", t.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("HOST-NOTE", t.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("CONSIDERED-NOTE", t.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("DECISION-NOTE", t.Text, StringComparison.Ordinal);
        });
    }

    /// <summary>Delivers the case's outbox as the job server would, so in-app notifications exist to be read.</summary>
    private async Task DeliverNotificationsAsync(string caseId)
    {
        var pending = await factory.QueryAsync(db => db.Outbox.AsNoTracking()
            .Where(m => m.CaseId == Guid.Parse(caseId) && m.DeliveredAt == null).Select(m => m.Id).ToListAsync());
        var jobs = factory.Services.GetRequiredService<NotificationJobs>();
        foreach (var message in pending)
        {
            await jobs.DeliverAsync(message, CancellationToken.None);
        }
    }
}
