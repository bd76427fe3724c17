using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Letters;

/// <summary>
/// Letters are made by the outbox after the command committed, as PDFs in the applicant's language (and the
/// Spanish original of a Mexican act), stored as applicant documents and read back here with PdfPig.
/// </summary>
public sealed class LetterTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    public static TheoryData<string, string, string, string[]> Languages => new()
    {
        // language, outcome label, authority label, the languages of the letters (the Spanish original first)
        { "en", "Cleared with conditions", "Resolved by the CNIE (National Foreign Investment Commission)", ["es", "en"] },
        { "fr", "Autorisé sous conditions", "Résolution de la CNIE (Commission nationale des investissements étrangers)", ["es", "fr"] },
        { "es", "Autorizado con condiciones", "Resolución de la CNIE (Comisión Nacional de Inversiones Extranjeras)", ["es"] },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task AMexicanDecisionWithConditionsIsWrittenInTheApplicantsLanguageAndInSpanish(string language, string outcome, string authority, string[] languages)
    {
        await SetLanguageAsync(ScreeningFactory.Applicant, language);
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskMx());
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx2, id, "host-review", "recommend-conditions", "Conditions advised.");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution", "approve-with-requirements", "Approved with requirements.",
            [new { text = "Keep the processing plant in Mexico", dueInDays = 90 }, new { text = "Report the offtake contracts", dueInDays = 30 }]);
        Assert.Empty(await LettersAsync(id));

        await factory.DrainAsync();

        var reference = (await factory.StoredCaseAsync(id)).Reference;
        var letters = (await LettersAsync(id)).Where(l => l.S("kind") == "decision").ToList();
        Assert.Equal(languages.Order(), letters.Select(l => l.S("language")).Order());
        foreach (var letter in letters)
        {
            var text = await ReadAsync(id, letter.S("documentId"));
            var words = letter.S("language") == language ? (outcome, authority) : SpanishOf();
            Assert.Contains(reference, text);
            Assert.Contains("Northern Lights", text);
            Assert.Contains(words.Item1, text);
            Assert.Contains(words.Item2, text);
            Assert.Contains("LIE art. 28", text);
            // Decided on Monday 4 January 2027: 90 calendar days is 4 April, 30 is 3 February.
            Assert.Contains("Keep the processing plant in Mexico", text);
            Assert.Contains("2027-04-04", text);
            Assert.Contains("Report the offtake contracts", text);
            Assert.Contains("2027-02-03", text);
        }

        var documents = await factory.QueryAsync(db => db.Documents.AsNoTracking().Where(d => d.CaseId == Guid.Parse(id) && d.Purpose == DocumentPurposes.Letter).ToListAsync());
        Assert.Equal(letters.Count, documents.Count(d => letters.Any(l => l.S("documentId") == d.Id.ToString())));
        Assert.All(documents, d => Assert.Equal(DocumentClassifications.Applicant, d.Classification));
        var audited = await factory.StoredEventsAsync("letter.created", id);
        foreach (var document in documents)
        {
            Assert.Contains(audited, e => e.Data["sha256"]!.GetValue<string>() == document.Sha256 && e.Data["document"]!.GetValue<string>() == document.Id.ToString());
        }

        static (string, string) SpanishOf() => ("Autorizado con condiciones", "Resolución de la CNIE (Comisión Nacional de Inversiones Extranjeras)");
    }

    [Fact]
    public async Task ACanadianRequestForInformationIsWrittenInFrenchOnlyWithItsQuestionAndDate()
    {
        await SetLanguageAsync(ScreeningFactory.Applicant, "fr");
        var (id, _, _) = await _steps.AwaitingApplicantAsync("Décrivez la chaîne d'approvisionnement en cuivre.");
        await factory.DrainAsync();

        var letters = await LettersAsync(id);
        var letter = Assert.Single(letters, l => l.S("kind") == "information-request");
        Assert.Equal("fr", letter.S("language"));
        var text = await ReadAsync(id, letter.S("documentId"));
        Assert.Contains("Demande de renseignements", text);
        Assert.Contains("Décrivez la chaîne d'approvisionnement en cuivre.", text);
        Assert.Contains("Gouvernement du Canada", text);
        // Sent on 4 January 2027 for 30 calendar days: due on 3 February.
        Assert.Contains("2027-02-03", text);
    }

    [Fact]
    public async Task ALetterJobRunTwiceMakesOneLetterPerLanguage()
    {
        await SetLanguageAsync(ScreeningFactory.Applicant, "en");
        var (id, _, _) = await _steps.AwaitingApplicantAsync("Who are the ultimate owners?");
        var row = await factory.QueryAsync(db => db.Outbox.AsNoTracking().SingleAsync(m => m.CaseId == Guid.Parse(id) && m.Kind == OutboxKinds.Letter));
        var jobs = factory.Services.GetRequiredService<NotificationJobs>();

        Assert.Equal(1, await jobs.DeliverAsync(row.Id, CancellationToken.None));
        Assert.Equal(0, await jobs.DeliverAsync(row.Id, CancellationToken.None));
        // Even a row that lost its delivered mark (a crash between the two) makes no second letter.
        await factory.QueryAsync(db => db.Outbox.Where(m => m.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, (DateTime?)null)));
        Assert.Equal(0, await jobs.DeliverAsync(row.Id, CancellationToken.None));

        var stored = await factory.QueryAsync(db => db.Letters.AsNoTracking().Where(l => l.CaseId == Guid.Parse(id)).ToListAsync());
        Assert.Single(stored);
        Assert.Single(await factory.StoredEventsAsync("letter.created", id));
        Assert.Equal(1, await factory.QueryAsync(db => db.Documents.CountAsync(d => d.CaseId == Guid.Parse(id) && d.Purpose == DocumentPurposes.Letter)));
    }

    [Fact]
    public async Task LettersAreListedForTheOwnerAndTheCasesOfficialsOnly()
    {
        var (id, _, _) = await _steps.AwaitingApplicantAsync("Send the shareholder register.");
        await factory.DrainAsync();

        Assert.Single((await factory.As(ScreeningFactory.OfficerCa).Get($"/api/cases/{id}/letters").Ok()).AsArray());
        var owner = (await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}/letters").Ok()).AsArray();
        var letter = Assert.Single(owner);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.OtherApplicant).Get($"/api/cases/{id}/letters")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.OfficerMx).Get($"/api/cases/{id}/letters")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.OfficerMx).Get($"/api/cases/{id}/documents/{letter.S("documentId")}")).Status);
    }

    internal async Task SetLanguageAsync(string email, string language) =>
        await factory.As(email).Put("/api/me/notification-preferences", new { language }).Ok();

    private async Task<List<JsonNode>> LettersAsync(string id) =>
        [.. (await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}/letters").Ok()).AsArray().Select(l => l!)];

    private async Task<string> ReadAsync(string caseId, string documentId)
    {
        var response = await factory.As(ScreeningFactory.Applicant).GetAsync($"/api/cases/{caseId}/documents/{documentId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return PdfText.Of(await response.Content.ReadAsByteArrayAsync());
    }
}

/// <summary>The text of a PDF as PdfPig reads it, its words joined by single spaces.</summary>
public static class PdfText
{
    public static string Of(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var words = document.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text);
        return Regex.Replace(string.Join(' ', words), @"\s+", " ");
    }
}
