using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Documents;

/// <summary>
/// Upload and download by every role against the classification matrix, on a Canadian case Mexico takes part in:
/// what each caller lists and reads, what is stored (rows, files named by their SHA-256), and what the audit records.
/// </summary>
public sealed class DocumentAccessTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    private sealed record World(string CaseId, string ApplicantDoc, string GovernmentDoc, string CanadaDoc, string MexicoDoc);

    private async Task<World> JointCaseWithOneDocumentOfEachKindAsync()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());
        Assert.Equal("CA,MX", (await factory.StoredCaseAsync(id)).Jurisdictions);
        return new World(
            id,
            await factory.As(ScreeningFactory.Applicant).UploadedAsync(id, TestDocuments.Pdf("register"), "share-register.pdf"),
            await factory.As(ScreeningFactory.OfficerCa).UploadedAsync(id, TestDocuments.Pdf("notice"), "GOVERNMENT-NOTICE-4410.pdf", "government"),
            await factory.As(ScreeningFactory.OfficerCa).UploadedAsync(id, TestDocuments.Pdf("ca brief"), "CANADA-ONLY-7120.pdf", "jurisdiction"),
            await factory.As(ScreeningFactory.OfficerMx).UploadedAsync(id, TestDocuments.Pdf("mx brief"), "MEXICO-ONLY-3381.pdf", "jurisdiction"));
    }

    [Fact]
    public async Task AnApplicantsUploadIsStoredUnderItsSha256AndRecordedWithItsHash()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var pdf = TestDocuments.Pdf("Schedule B: the shareholder register");

        var response = await factory.As(ScreeningFactory.Applicant).UploadAsync(id, pdf, "schedule-b.pdf");

        var body = response.AssertSuccess(HttpStatusCode.Created);
        var sha256 = TestDocuments.Sha256(pdf);
        Assert.Equal(("schedule-b.pdf", "application/pdf", (long)pdf.Length, sha256, "applicant"),
            (body.S("name"), body.S("contentType"), body["size"]!.GetValue<long>(), body.S("sha256"), body.S("classification")));
        Assert.Equal($"/api/cases/{id}/documents/{body.S("id")}", response.Header("Location"));
        var row = await factory.QueryAsync(db => db.Documents.AsNoTracking().SingleAsync(d => d.Id == Guid.Parse(body.S("id"))));
        Assert.Equal((Guid.Parse(id), sha256, "applicant", (string?)null, await factory.UserIdAsync(ScreeningFactory.Applicant), "filing", (Guid?)null),
            (row.CaseId, row.Sha256, row.Classification, row.Jurisdiction, row.UploadedBy, row.Purpose, row.RequestId));
        Assert.EndsWith("Z", body.S("uploadedAt"), StringComparison.Ordinal);
        Assert.True(Math.Abs((DateTimeOffset.Parse(body.S("uploadedAt"), System.Globalization.CultureInfo.InvariantCulture) - new DateTimeOffset(row.UploadedAt, TimeSpan.Zero)).TotalSeconds) < 1);
        Assert.Equal(pdf, await File.ReadAllBytesAsync(factory.StoredFile(sha256)));
        Assert.Empty(factory.StagingFiles());
        var uploaded = Assert.Single(await factory.StoredEventsAsync("document.uploaded", id));
        Assert.Equal((row.UploadedBy, body.S("id"), sha256), (uploaded.Entry.Actor, uploaded.Data.S("document"), uploaded.Data.S("sha256")));
    }

    [Fact]
    public async Task TheSameContentUploadedTwiceIsKeptOnceAndListedTwice()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var pdf = TestDocuments.Pdf("the same bytes twice");
        var applicant = factory.As(ScreeningFactory.Applicant);

        var first = await applicant.UploadedAsync(id, pdf, "one.pdf");
        var second = await applicant.UploadedAsync(id, pdf, "two.pdf");

        Assert.NotEqual(first, second);
        var sha256 = TestDocuments.Sha256(pdf);
        Assert.Single(factory.StoredFiles(), f => Path.GetFileName(f) == sha256);
        var listed = (await applicant.Get($"/api/cases/{id}/documents").Ok()).AsArray();
        Assert.Equal(["one.pdf", "two.pdf"], listed.Select(d => d.S("name")));
    }

    [Fact]
    public async Task EachCallerListsExactlyTheDocumentsItsClassificationAllows()
    {
        var world = await JointCaseWithOneDocumentOfEachKindAsync();

        async Task<string[]> Listed(string user) =>
            [.. (await factory.As(user).Get($"/api/cases/{world.CaseId}/documents").Ok()).AsArray().Select(d => d!.S("id")).Order(StringComparer.Ordinal)];
        string[] Ids(params string[] ids) => [.. ids.Order(StringComparer.Ordinal)];

        Assert.Equal(Ids(world.ApplicantDoc), await Listed(ScreeningFactory.Applicant));
        Assert.Equal(Ids(world.ApplicantDoc, world.GovernmentDoc, world.CanadaDoc), await Listed(ScreeningFactory.OfficerCa));
        Assert.Equal(Ids(world.ApplicantDoc, world.GovernmentDoc, world.CanadaDoc), await Listed(ScreeningFactory.DecisionCa));
        Assert.Equal(Ids(world.ApplicantDoc, world.GovernmentDoc, world.MexicoDoc), await Listed(ScreeningFactory.OfficerMx));
        Assert.Equal(Ids(world.ApplicantDoc, world.GovernmentDoc, world.MexicoDoc), await Listed(ScreeningFactory.DecisionMx));
        Assert.Equal(Ids(world.ApplicantDoc, world.GovernmentDoc, world.CanadaDoc, world.MexicoDoc), await Listed(ScreeningFactory.Admin));
        (await factory.As(ScreeningFactory.OtherApplicant).RawGet($"/api/cases/{world.CaseId}/documents")).AssertProblem(HttpStatusCode.NotFound);

        var canada = (await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{world.CaseId}/documents").Ok()).AsArray().Single(d => d.S("id") == world.CanadaDoc)!;
        Assert.Equal(("jurisdiction", "CA", "case"), (canada.S("classification"), canada.S("jurisdiction"), canada.S("purpose")));
        var rows = await factory.QueryAsync(db => db.Documents.AsNoTracking().Where(d => d.CaseId == Guid.Parse(world.CaseId)).ToDictionaryAsync(d => d.Id.ToString(), d => (d.Classification, d.Jurisdiction)));
        Assert.Equal(("government", "CA"), rows[world.GovernmentDoc]);
        Assert.Equal(("jurisdiction", "MX"), rows[world.MexicoDoc]);
    }

    [Fact]
    public async Task TheApplicantNeverLearnsThatARestrictedDocumentExists()
    {
        var world = await JointCaseWithOneDocumentOfEachKindAsync();
        var applicant = factory.As(ScreeningFactory.Applicant);

        var unknown = await applicant.RawGet($"/api/cases/{world.CaseId}/documents/{Guid.NewGuid()}");
        var government = await applicant.RawGet($"/api/cases/{world.CaseId}/documents/{world.GovernmentDoc}");
        var jurisdiction = await applicant.RawGet($"/api/cases/{world.CaseId}/documents/{world.CanadaDoc}");

        // A restricted document answers exactly as one that does not exist.
        static string WithoutTrace(RawResponse response)
        {
            var problem = response.AssertProblem(HttpStatusCode.NotFound);
            problem.Remove("traceId");
            return problem.ToJsonString();
        }

        Assert.Equal(WithoutTrace(unknown), WithoutTrace(government));
        Assert.Equal(WithoutTrace(unknown), WithoutTrace(jurisdiction));
        var everything = string.Concat(
            (await applicant.RawGet($"/api/cases/{world.CaseId}")).Text,
            (await applicant.RawGet($"/api/cases/{world.CaseId}/documents")).Text,
            (await applicant.RawGet("/api/cases")).Text);
        foreach (var secret in new[] { "GOVERNMENT-NOTICE-4410", "CANADA-ONLY-7120", "MEXICO-ONLY-3381", world.GovernmentDoc, world.CanadaDoc, world.MexicoDoc, "\"classification\":\"government\"", "\"classification\":\"jurisdiction\"" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnOfficialOfTheOtherJurisdictionCannotReadAJurisdictionDocument()
    {
        var world = await JointCaseWithOneDocumentOfEachKindAsync();

        (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{world.CaseId}/documents/{world.CanadaDoc}")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.As(ScreeningFactory.DecisionCa).RawGet($"/api/cases/{world.CaseId}/documents/{world.MexicoDoc}")).AssertProblem(HttpStatusCode.NotFound);
        var listed = (await factory.As(ScreeningFactory.OfficerMx).RawGet($"/api/cases/{world.CaseId}/documents")).Text;
        Assert.DoesNotContain("CANADA-ONLY-7120", listed, StringComparison.Ordinal);
        Assert.Empty(await factory.StoredEventsAsync("document.downloaded", world.CaseId));
    }

    [Fact]
    public async Task ADownloadIsTheStoredContentAsAnAttachmentThatIsNeverSniffed()
    {
        var world = await JointCaseWithOneDocumentOfEachKindAsync();

        using var response = await factory.As(ScreeningFactory.OfficerCa).GetAsync($"/api/cases/{world.CaseId}/documents/{world.ApplicantDoc}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TestDocuments.Pdf("register"), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("share-register.pdf", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("sandbox", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        // Reading a document the applicant may read is no event of the audit trail.
        Assert.Empty(await factory.StoredEventsAsync("document.downloaded", world.CaseId));
    }

    [Fact]
    public async Task EveryDownloadOfARestrictedDocumentIsRecordedWithWhoWhenAndTheHash()
    {
        var world = await JointCaseWithOneDocumentOfEachKindAsync();

        var government = await factory.As(ScreeningFactory.OfficerMx).GetByteArrayAsync($"/api/cases/{world.CaseId}/documents/{world.GovernmentDoc}");
        factory.Time.Advance(TimeSpan.FromMinutes(5));
        await factory.As(ScreeningFactory.OfficerCa).GetByteArrayAsync($"/api/cases/{world.CaseId}/documents/{world.CanadaDoc}");
        await factory.As(ScreeningFactory.Admin).GetByteArrayAsync($"/api/cases/{world.CaseId}/documents/{world.MexicoDoc}");

        Assert.Equal(TestDocuments.Pdf("notice"), government);
        var downloads = await factory.StoredEventsAsync("document.downloaded", world.CaseId);
        var expected = new[]
        {
            (await factory.UserIdAsync(ScreeningFactory.OfficerMx), world.GovernmentDoc, TestDocuments.Sha256(TestDocuments.Pdf("notice"))),
            (await factory.UserIdAsync(ScreeningFactory.OfficerCa), world.CanadaDoc, TestDocuments.Sha256(TestDocuments.Pdf("ca brief"))),
            (await factory.UserIdAsync(ScreeningFactory.Admin), world.MexicoDoc, TestDocuments.Sha256(TestDocuments.Pdf("mx brief"))),
        };
        Assert.Equal(expected, downloads.Select(d => (d.Entry.Actor, d.Data.S("document"), d.Data.S("sha256"))));
        Assert.Equal(TimeSpan.FromMinutes(5), downloads[1].Entry.At - downloads[0].Entry.At);
        var audit = (await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{world.CaseId}/audit").Ok()).AsArray();
        Assert.Equal(3, audit.Count(e => e.S("action") == "document.downloaded"));
        Assert.True((await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok())["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AnApplicantMayOnlyUploadApplicantDocumentsAndOnlyToTheirOwnCase()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.HighRiskCa());
        var before = (await factory.DocumentCountAsync(), factory.StoredFiles().Count, await factory.AuditCountAsync());
        var pdf = TestDocuments.Pdf("not for them");

        (await factory.As(ScreeningFactory.Applicant).UploadAsync(id, pdf, "a.pdf", "government")).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(ScreeningFactory.Applicant).UploadAsync(id, pdf, "a.pdf", "jurisdiction")).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.As(ScreeningFactory.OtherApplicant).UploadAsync(id, pdf, "a.pdf")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.As(ScreeningFactory.Admin).UploadAsync(id, pdf, "a.pdf", "government")).AssertProblem(HttpStatusCode.Forbidden);
        (await factory.Anonymous().UploadAsync(id, pdf, "a.pdf")).AssertProblem(HttpStatusCode.Unauthorized);
        (await factory.As(ScreeningFactory.Applicant).UploadAsync(Guid.NewGuid().ToString(), pdf, "a.pdf")).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, (await factory.DocumentCountAsync(), factory.StoredFiles().Count, await factory.AuditCountAsync()));
        Assert.Empty(factory.StagingFiles());
    }

    [Fact]
    public async Task AnOfficialOfAJurisdictionThatTakesNoPartGets404()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var before = await factory.DocumentCountAsync();

        (await factory.As(ScreeningFactory.OfficerMx).UploadAsync(id, TestDocuments.Pdf(), "mx.pdf", "government")).AssertProblem(HttpStatusCode.NotFound);
        (await factory.As(ScreeningFactory.DecisionMx).RawGet($"/api/cases/{id}/documents")).AssertProblem(HttpStatusCode.NotFound);

        Assert.Equal(before, await factory.DocumentCountAsync());
    }

    [Fact]
    public async Task AnOfficialsUploadIsForTheGovernmentsUnlessTheyClassifyItOtherwise()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var unclassified = (await factory.As(ScreeningFactory.DecisionCa).UploadAsync(id, TestDocuments.Pdf("report"), "report.pdf", classification: null)).AssertSuccess(HttpStatusCode.Created);
        var notice = (await factory.As(ScreeningFactory.OfficerCa).UploadAsync(id, TestDocuments.Pdf("legal notice"), "notice.pdf", "applicant")).AssertSuccess(HttpStatusCode.Created);

        Assert.Equal("government", unclassified.S("classification"));
        var seen = (await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}/documents").Ok()).AsArray();
        Assert.Equal([notice.S("id")], seen.Select(d => d.S("id")));
        Assert.Equal(TestDocuments.Pdf("legal notice"), await factory.As(ScreeningFactory.Applicant).GetByteArrayAsync($"/api/cases/{id}/documents/{notice.S("id")}"));
    }
}
