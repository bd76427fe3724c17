using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Documents;

/// <summary>
/// A file is limited to 25 MB, against a real Kestrel server (which keeps every other endpoint at 1 MB): a larger
/// one is a 413 problem document whether its length is declared or it streams in chunks, and leaves nothing behind;
/// a file near the limit streams through into the store. One host for the class.
/// </summary>
public sealed class DocumentSizeLimitTests(KestrelScreeningFactory factory) : IClassFixture<KestrelScreeningFactory>
{
    private const int Megabyte = 1024 * 1024;

    [Fact]
    public async Task A30MegabyteFileOfDeclaredLengthIs413AndNothingIsStored()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var before = (await factory.DocumentCountAsync(), factory.StoredFiles().Count);

        var response = await factory.As(ScreeningFactory.Applicant).SendRawAsync(HttpMethod.Post, $"/api/cases/{id}/documents",
            TestDocuments.Form(new PaddedPdf(30L * Megabyte, declareLength: true), "big.pdf", "applicant"), new Dictionary<string, string> { ["Expect"] = "100-continue" });

        var problem = response.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("25 MB", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await factory.DocumentCountAsync(), factory.StoredFiles().Count));
        Assert.Empty(factory.StagingFiles());
    }

    [Fact]
    public async Task A30MegabyteFileStreamedWithoutALengthIsCutOffAndLeavesNothingBehind()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var before = (await factory.DocumentCountAsync(), factory.StoredFiles().Count);

        RawResponse? response = null;
        try
        {
            using var client = factory.CreateDefaultClient();
            client.DefaultRequestHeaders.Authorization = factory.As(ScreeningFactory.Applicant).DefaultRequestHeaders.Authorization;
            response = await client.SendRawAsync(HttpMethod.Post, $"/api/cases/{id}/documents",
                TestDocuments.Form(new PaddedPdf(30L * Megabyte, declareLength: false), "big.pdf", "applicant"));
        }
        catch (HttpRequestException)
        {
            // The server answers 413 at 25 MB and closes the connection; a client still sending may see only that.
        }

        response?.AssertProblem(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, (await factory.DocumentCountAsync(), factory.StoredFiles().Count));
        Assert.Empty(factory.StagingFiles());
    }

    [Fact]
    public async Task AFileNearTheLimitIsWrittenToDiskAsItArrivesAndEndsInTheStore()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        const long size = 24L * Megabyte;
        var content = new PaddedPdf(size, declareLength: true) { PauseAfter = 12L * Megabyte };

        // The factory's usual client buffers a request body (to replay it on a redirect); this one streams it.
        using var client = factory.CreateDefaultClient();
        client.DefaultRequestHeaders.Authorization = factory.As(ScreeningFactory.Applicant).DefaultRequestHeaders.Authorization;
        var upload = client.SendRawAsync(HttpMethod.Post, $"/api/cases/{id}/documents", TestDocuments.Form(content, "large.pdf", "applicant"));
        await content.Paused.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Half the file is sent and the rest held back: the server has been writing it to a staging file, not holding it.
        long staged = 0;
        for (var i = 0; i < 100 && staged < 8L * Megabyte; i++)
        {
            await Task.Delay(50);
            staged = factory.StagingFiles().Select(f => new FileInfo(f).Length).DefaultIfEmpty(0).Max();
        }

        content.Resume.SetResult();
        var response = await upload;

        Assert.True(staged >= 8L * Megabyte, $"{staged} bytes were on disk while 12 MB had been sent");
        var body = response.AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(size, body["size"]!.GetValue<long>());
        Assert.Equal(size, new FileInfo(factory.StoredFile(body.S("sha256"))).Length);
        Assert.Empty(factory.StagingFiles());
    }

    /// <summary>A PDF of exactly <c>size</c> bytes, written in small pieces as it is sent.</summary>
    internal sealed class PaddedPdf(long size, bool declareLength) : HttpContent
    {
        /// <summary>Where sending stops until <see cref="Resume"/> is set (none by default).</summary>
        public long PauseAfter { get; init; } = long.MaxValue;

        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var head = Encoding.ASCII.GetBytes("%PDF-1.7\n% padding\n");
            await stream.WriteAsync(head);
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)' ');
            long sent = head.Length;
            for (var left = size - head.Length; left > 0; left -= chunk.Length)
            {
                var count = (int)Math.Min(chunk.Length, left);
                await stream.WriteAsync(chunk.AsMemory(0, count));
                sent += count;
                if (sent >= PauseAfter && !Paused.Task.IsCompleted)
                {
                    await stream.FlushAsync();
                    Paused.SetResult();
                    await Resume.Task;
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = size;
            return declareLength;
        }
    }
}

/// <summary>A host whose cases hold at most 100 KB of documents, so the per-case limit can be reached in a test.</summary>
public sealed class SmallCaseLimitFactory : ScreeningFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Screening:Documents:MaxCaseBytes", "102400");
    }
}

/// <summary>The limits the application itself counts, on the in-memory server: per file while it streams, and per case.</summary>
public sealed class CaseDocumentLimitTests(SmallCaseLimitFactory factory) : IClassFixture<SmallCaseLimitFactory>
{
    [Fact]
    public async Task ADocumentThatWouldTakeTheCaseOverItsLimitIs413AndNothingIsStored()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var applicant = factory.As(ScreeningFactory.Applicant);
        await applicant.UploadedAsync(id, TestDocuments.Pdf(new string('a', 60_000)), "first.pdf");
        var before = (await factory.DocumentCountAsync(), factory.StoredFiles().Count, await factory.AuditCountAsync());

        var response = await applicant.UploadAsync(id, TestDocuments.Pdf(new string('b', 60_000)), "second.pdf");

        Assert.Contains("in all", response.AssertProblem(HttpStatusCode.RequestEntityTooLarge)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await factory.DocumentCountAsync(), factory.StoredFiles().Count, await factory.AuditCountAsync()));
        Assert.Empty(factory.StagingFiles());
        // Another case has room of its own.
        var other = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        await applicant.UploadedAsync(other, TestDocuments.Pdf(new string('b', 60_000)), "second.pdf");
    }
}

/// <summary>The file limit the application counts itself as a body streams in, on the in-memory server (no Kestrel limit in the way).</summary>
public sealed class StreamedUploadLimitTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AFileStreamedPast25MegabytesIs413WithAProblemAndLeavesNoStagingFile()
    {
        var id = await new Scenario(factory).FileAsync(Scenario.LowRiskCa());
        var before = (await factory.DocumentCountAsync(), factory.StoredFiles().Count);

        var response = await factory.As(ScreeningFactory.Applicant).SendRawAsync(HttpMethod.Post, $"/api/cases/{id}/documents",
            TestDocuments.Form(new DocumentSizeLimitTests.PaddedPdf(30L * 1024 * 1024, declareLength: false), "big.pdf", "applicant"));

        Assert.Contains("25 MB", response.AssertProblem(HttpStatusCode.RequestEntityTooLarge)["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, (await factory.DocumentCountAsync(), factory.StoredFiles().Count));
        Assert.Empty(factory.StagingFiles());
    }
}
