using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Letters;

/// <summary>Administrators edit a letter template per kind and language; Fluid must parse it first, and each change is audited.</summary>
public sealed class LetterTemplateTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string Url = "/api/admin/letter-templates/information-request/en";

    [Fact]
    public async Task TheShippedTemplateIsServedUntilAnAdministratorReplacesIt()
    {
        var shipped = await factory.As(ScreeningFactory.Admin).Get("/api/admin/letter-templates/decision/fr").Ok();
        Assert.True(shipped["isDefault"]!.GetValue<bool>());
        Assert.Contains("{{ outcome }}", shipped.S("template"));
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.Admin).Get("/api/admin/letter-templates/decision/de")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await factory.As(ScreeningFactory.Admin).Get("/api/admin/letter-templates/memo/en")).Status);
    }

    [Fact]
    public async Task ATemplateThatDoesNotParseIsRefusedWithItsPathAndChangesNothing()
    {
        var before = await factory.AuditCountAsync();
        var storedBefore = await StoredTextAsync();
        var (status, body) = await factory.As(ScreeningFactory.Admin).Put(Url, new { template = "# Request {% if question %} never closed" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(body!["errors"]!["$.template"]);
        Assert.Equal(before, await factory.AuditCountAsync());
        Assert.Equal(storedBefore, await StoredTextAsync());
        Assert.Equal(storedBefore is null, (await factory.As(ScreeningFactory.Admin).Get(Url).Ok())["isDefault"]!.GetValue<bool>());

        // Another test of this class may have edited the template and put the default text back first.
        Task<string?> StoredTextAsync() => factory.QueryAsync(db => db.LetterTemplates.AsNoTracking()
            .Where(t => t.Kind == "information-request" && t.Language == "en").Select(t => t.Text).SingleOrDefaultAsync());
    }

    [Fact]
    public async Task AnEditedTemplateIsAuditedAndWritesTheNextLetters()
    {
        var text = "# Edited request\n{{ reference }} asks: {{ question }} by {{ answer_by }}\n";
        var saved = await factory.As(ScreeningFactory.Admin).Put(Url, new { template = text }).Ok();
        Assert.False(saved["isDefault"]!.GetValue<bool>());

        var stored = await factory.QueryAsync(db => db.LetterTemplates.AsNoTracking().SingleAsync(t => t.Kind == "information-request" && t.Language == "en"));
        Assert.Equal(text, stored.Text);
        var audited = Assert.Single(await factory.StoredEventsAsync("letter-template.updated"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text))), audited.Data["sha256"]!.GetValue<string>());

        await factory.As(ScreeningFactory.Applicant).Put("/api/me/notification-preferences", new { language = "en" }).Ok();
        var (id, _, _) = await new CaseSteps(factory).AwaitingApplicantAsync("List the directors.");
        await factory.DrainAsync();
        var letter = Assert.Single((await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}/letters").Ok()).AsArray());
        var pdf = await factory.As(ScreeningFactory.Applicant).GetByteArrayAsync($"/api/cases/{id}/documents/{letter.S("documentId")}");
        Assert.Contains("Edited request", PdfText.Of(pdf));
        Assert.Contains("asks: List the directors.", PdfText.Of(pdf));
        // An act written in two languages reads both templates at once: the edited one for English, the shipped one for Spanish.
        var both = await factory.QueryAsync(db => Screening.Web.Letters.LetterTemplates.CurrentAsync(db, "information-request", ["es", "en"], CancellationToken.None));
        Assert.Equal(text, both["en"]);
        Assert.Equal(Screening.Web.Letters.LetterTemplates.Default("information-request", "es"), both["es"]);
        Assert.Contains("{{ question }}", both["es"]);

        await factory.As(ScreeningFactory.Admin).Put(Url, new { template = Default() }).Ok();

        static string Default() => Screening.Web.Letters.LetterTemplates.Default("information-request", "en");
    }
}
