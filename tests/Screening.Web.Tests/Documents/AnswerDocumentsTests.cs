using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Documents;

/// <summary>
/// An answer to a request for information refers to documents the applicant uploaded to the case; any other id
/// (another applicant's document, a government document, one that does not exist) is a 400 by path and changes nothing.
/// </summary>
public sealed class AnswerDocumentsTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task AnAnswerRecordsItsDocumentsAndOfficialsSeeThem()
    {
        var (id, taskId, requestId) = await _steps.AwaitingApplicantAsync("Give the shareholder register and the board minutes.");
        var applicant = factory.As(ScreeningFactory.Applicant);
        var register = await applicant.UploadedAsync(id, TestDocuments.Pdf("register"), "register.pdf");
        var minutes = await applicant.UploadedAsync(id, TestDocuments.Docx(), "minutes.docx");
        var unrelated = await applicant.UploadedAsync(id, TestDocuments.Png(), "logo.png");

        await applicant.Post($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Both are attached.", documentIds = new[] { register, minutes } }).Ok();

        var rows = await factory.QueryAsync(db => db.Documents.AsNoTracking().Where(d => d.CaseId == Guid.Parse(id)).ToDictionaryAsync(d => d.Id.ToString()));
        Assert.Equal(("answer", (Guid?)Guid.Parse(requestId)), (rows[register].Purpose, rows[register].RequestId));
        Assert.Equal(("answer", (Guid?)Guid.Parse(requestId)), (rows[minutes].Purpose, rows[minutes].RequestId));
        Assert.Equal(("filing", (Guid?)null), (rows[unrelated].Purpose, rows[unrelated].RequestId));
        var answered = Assert.Single(await factory.StoredEventsAsync("request.answered", id));
        Assert.Equal([register, minutes], answered.Data["documents"]!.AsArray().Select(d => d!.GetValue<string>()));

        var view = await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}").Ok();
        var request = view["requests"]!.AsArray().Single(r => r.S("id") == requestId)!;
        Assert.Equal(new[] { register, minutes }.Order(StringComparer.Ordinal), request["documentIds"]!.AsArray().Select(d => d!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Contains(view["timeline"]!.AsArray(), t => t.S("event") == "Request for information answered with 2 documents");
        var listed = (await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}/documents").Ok()).AsArray();
        Assert.Equal(requestId, listed.Single(d => d.S("id") == register)!.S("requestId"));
        Assert.Equal("answered", (await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)))).Status);
        Assert.Equal("claimed", (await factory.StoredTaskAsync(taskId)).Status);
    }

    [Fact]
    public async Task AnAnswerReferringToAnotherApplicantsOrAGovernmentDocumentIs400AndChangesNothing()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Give the offtake agreement.");
        var own = await factory.As(ScreeningFactory.Applicant).UploadedAsync(id, TestDocuments.Pdf("offtake"), "offtake.pdf");
        var government = await factory.As(ScreeningFactory.OfficerCa).UploadedAsync(id, TestDocuments.Pdf("assessment"), "assessment.pdf", "government");
        var elsewhere = await new Scenario(factory).FileAsync(Scenario.LowRiskCa(), ScreeningFactory.OtherApplicant);
        var someoneElses = await factory.As(ScreeningFactory.OtherApplicant).UploadedAsync(elsewhere, TestDocuments.Pdf("theirs"), "theirs.pdf");
        var applicant = factory.As(ScreeningFactory.Applicant);
        var url = $"/api/cases/{id}/requests/{requestId}/response";
        var auditBefore = await factory.AuditCountAsync();

        var foreign = await applicant.RawPost(url, new { answer = "Attached.", documentIds = new[] { someoneElses } });
        var restricted = await applicant.RawPost(url, new { answer = "Attached.", documentIds = new[] { own, government } });
        var unknown = await applicant.RawPost(url, new { answer = "Attached.", documentIds = new[] { Guid.NewGuid().ToString() } });
        var malformed = await applicant.Raw(HttpMethod.Post, url, """{"answer":"Attached.","documentIds":["not-an-id"]}""");

        foreign.AssertValidation("$.documentIds[0]");
        var errors = restricted.AssertValidation("$.documentIds[1]");
        Assert.False(errors.ContainsKey("$.documentIds[0]"));
        // A government document is refused with the words a missing one gets: the applicant learns nothing of it.
        Assert.Equal(unknown.AssertValidation("$.documentIds[0]")["$.documentIds[0]"]!.ToJsonString(), errors["$.documentIds[1]"]!.ToJsonString());
        malformed.AssertValidation("$.documentIds[0]");
        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal("open", (await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)))).Status);
        Assert.False(await factory.QueryAsync(db => db.Documents.AnyAsync(d => d.CaseId == Guid.Parse(id) && d.RequestId != null)));
        Assert.Equal("awaiting-applicant", (await factory.StoredCaseAsync(id)).Status);
    }

    [Fact]
    public async Task AnAnswerWithoutDocumentsStillWorksAsBefore()
    {
        var (id, _, requestId) = await _steps.AwaitingApplicantAsync("Name the directors.");

        await factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{id}/requests/{requestId}/response", new { answer = "Listed in annex 2." }).Ok();

        var answered = Assert.Single(await factory.StoredEventsAsync("request.answered", id));
        Assert.Null(answered.Data["documents"]);
        var view = await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}").Ok();
        Assert.Empty(view["requests"]!.AsArray().Single(r => r.S("id") == requestId)!["documentIds"]!.AsArray());
    }
}
