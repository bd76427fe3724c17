using System.Net;
using System.Text;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Documents;

/// <summary>
/// Uploads built to harm: executables renamed as PDFs, zip bombs shaped like Office files, PDFs whose scripts
/// hide in compressed object streams, bodies that are not forms. Each is refused with a problem document and
/// leaves nothing behind: no row, no file in the store, no staging file, no audit entry.
/// </summary>
public sealed class HostileUploadTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    public static TheoryData<string, string> Refused415 => new()
    {
        { "elf", "invoice.pdf" },
        { "windows-executable", "invoice.pdf" },
        { "zip-bomb-docx", "report.docx" },
        { "docx-declaring-a-4-gb-part", "report.docx" },
        { "docx-with-macros", "report.docx" },
        { "docx-with-an-unknown-compression-method", "report.docx" },
        { "zip-that-is-no-office-file", "archive.docx" },
        { "docx-whose-content-types-name-no-document", "report.docx" },
        { "pdf-with-javascript-in-an-object-stream", "statement.pdf" },
        { "pdf-with-an-escaped-javascript-name", "statement.pdf" },
        { "pdf-with-a-launch-action", "statement.pdf" },
        { "html", "page.pdf" },
        { "text", "notes.pdf" },
    };

    private static byte[] Build(string kind) => kind switch
    {
        "elf" => TestDocuments.Elf(),
        "windows-executable" => TestDocuments.WindowsExecutable(),
        "zip-bomb-docx" => TestDocuments.ZipBombDocx(),
        "docx-declaring-a-4-gb-part" => TestDocuments.DocxDeclaringAHugePart(),
        "docx-with-an-unknown-compression-method" => TestDocuments.DocxWithAnUnknownCompressionMethod(),
        "docx-with-macros" => TestDocuments.Office("word/", TestDocuments.DocxMain, ("word/vbaProject.bin", [1, 2, 3])),
        "zip-that-is-no-office-file" => TestDocuments.Zip(("readme.txt", "hello"u8.ToArray())),
        "docx-whose-content-types-name-no-document" => TestDocuments.Office("word/", "application/xml"),
        "pdf-with-javascript-in-an-object-stream" => TestDocuments.PdfWithScriptInObjectStream(),
        "pdf-with-an-escaped-javascript-name" => TestDocuments.Pdf(extra: "<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>"),
        "pdf-with-a-launch-action" => TestDocuments.Pdf(extra: "<< /Type /Action /S /Launch /F (cmd.exe) >>"),
        "html" => "<html><script>alert(1)</script></html>"u8.ToArray(),
        _ => "plain text pretending to be a PDF"u8.ToArray(),
    };

    [Theory]
    [MemberData(nameof(Refused415))]
    public async Task AFileThatIsNoAcceptedDocumentIs415AndNothingIsStored(string kind, string fileName)
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var before = await StateAsync();

        var response = await factory.As(ScreeningFactory.Applicant).UploadAsync(id, Build(kind), fileName);

        var problem = response.AssertProblem(HttpStatusCode.UnsupportedMediaType);
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]?.GetValue<string>()));
        Assert.Equal(before, await StateAsync());
        Assert.Empty(factory.StagingFiles());
    }

    [Fact]
    public async Task ThePdfRefusalsNameWhatWasFound()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);

        var hidden = (await applicant.UploadAsync(id, TestDocuments.PdfWithScriptInObjectStream(), "a.pdf")).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        var launch = (await applicant.UploadAsync(id, Build("pdf-with-a-launch-action"), "b.pdf")).AssertProblem(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("/JavaScript in a compressed stream", hidden["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/Launch", launch["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        // The same PDF without its script is a document like any other.
        (await applicant.UploadAsync(id, TestDocuments.Pdf(extra: "<< /Type /Action /S /GoTo /D [3 0 R /Fit] >>"), "c.pdf")).AssertSuccess(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AFileNameWithMarkupIsStoredAsPlainTextAndNeverReflected()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);

        var response = await applicant.UploadAsync(id, TestDocuments.Pdf("named badly"), "<script>alert(1)</script>.pdf");
        var spoofed = await applicant.UploadAsync(id, TestDocuments.Pdf("spoofed"), "invoice\u202Efdp.exe");

        var body = response.AssertSuccess(HttpStatusCode.Created);
        var name = body.S("name");
        Assert.DoesNotContain('<', name);
        Assert.DoesNotContain('>', name);
        Assert.EndsWith(".pdf", name, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("invoice_fdp.exe.pdf", spoofed.AssertSuccess(HttpStatusCode.Created).S("name"));
        var stored = await factory.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Documents, d => d.Id == Guid.Parse(body.S("id"))));
        Assert.Equal(name, stored.Name);
        using var download = await applicant.GetAsync($"/api/cases/{id}/documents/{body.S("id")}");
        var disposition = string.Join(",", download.Content.Headers.GetValues("Content-Disposition"));
        Assert.DoesNotContain("<", disposition, StringComparison.Ordinal);
        Assert.StartsWith("attachment", disposition, StringComparison.Ordinal);
        var listed = await applicant.RawGet($"/api/cases/{id}/documents");
        Assert.DoesNotContain("<script", listed.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AcceptedFormatsAreToldByTheirContentWhateverTheirName()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);
        var files = new (byte[] Content, string Name, string ContentType, string StoredName)[]
        {
            (TestDocuments.Png(), "scan.bin", "image/png", "scan.bin.png"),
            (TestDocuments.Jpeg(), "photo.jpeg", "image/jpeg", "photo.jpeg"),
            (TestDocuments.Tiff(), "fax", "image/tiff", "fax.tif"),
            (TestDocuments.Docx(), "agreement.pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "agreement.pdf.docx"),
            (TestDocuments.Office("xl/", TestDocuments.XlsxMain), "cap-table.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "cap-table.xlsx"),
            (TestDocuments.Office("ppt/", TestDocuments.PptxMain), "board.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "board.pptx"),
        };

        foreach (var (content, name, contentType, storedName) in files)
        {
            var body = (await applicant.UploadAsync(id, content, name)).AssertSuccess(HttpStatusCode.Created);
            Assert.Equal((contentType, storedName), (body.S("contentType"), body.S("name")));
            Assert.True(File.Exists(factory.StoredFile(TestDocuments.Sha256(content))), name);
        }
    }

    [Fact]
    public async Task ABodyThatIsNotAnUploadFormIsRefusedByWhatIsWrong()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);
        var url = $"/api/cases/{id}/documents";
        var before = await StateAsync();

        (await applicant.RawPost(url, new { file = "JVBERi0xLjcK" })).AssertProblem(HttpStatusCode.UnsupportedMediaType);
        var noFile = new MultipartFormDataContent { { new StringContent("applicant"), "classification" } };
        (await applicant.SendRawAsync(HttpMethod.Post, url, noFile)).AssertValidation("$.file");
        (await applicant.UploadAsync(id, [], "empty.pdf")).AssertValidation("$.file");
        (await applicant.UploadAsync(id, TestDocuments.Pdf(), "a.pdf", "secret")).AssertValidation("$.classification");
        (await applicant.UploadAsync(id, TestDocuments.Pdf(), "a.pdf", new string('x', 500))).AssertValidation("$.classification");
        var twoFiles = TestDocuments.Form(TestDocuments.Pdf(), "a.pdf", "applicant");
        twoFiles.Add(new ByteArrayContent(TestDocuments.Pdf()), "file", "b.pdf");
        (await applicant.SendRawAsync(HttpMethod.Post, url, twoFiles)).AssertValidation("$.file");
        var truncated = new StringContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.7 and no end", Encoding.UTF8);
        truncated.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        (await applicant.SendRawAsync(HttpMethod.Post, url, truncated)).AssertValidation("$");
        var noBoundary = new StringContent("x", Encoding.UTF8);
        noBoundary.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data");
        (await applicant.SendRawAsync(HttpMethod.Post, url, noBoundary)).AssertValidation("$");

        Assert.Equal(before, await StateAsync());
        Assert.Empty(factory.StagingFiles());
    }

    private async Task<(int Documents, int Files, int Audit)> StateAsync() =>
        (await factory.DocumentCountAsync(), factory.StoredFiles().Count, await factory.AuditCountAsync());
}
