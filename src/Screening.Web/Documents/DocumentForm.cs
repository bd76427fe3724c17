using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Screening.Web.Hosting;

namespace Screening.Web.Documents;

/// <summary>
/// An upload's <c>multipart/form-data</c> body, read as it arrives: the <c>file</c> part streams into the content
/// store's staging folder while it is hashed (never whole in memory), <c>classification</c> is a short text.
/// Whatever is refused leaves no staging file behind.
/// </summary>
public sealed class DocumentForm : IDisposable
{
    /// <summary>Room for the parts' headers and the classification beside the file itself.</summary>
    public const long FormOverhead = 64 * 1024;

    private const int MaxSections = 8;
    private const int MaxFieldBytes = 64;

    private DocumentForm(StagedContent file, string? fileName, string? classification)
    {
        File = file;
        FileName = fileName;
        Classification = classification;
    }

    public StagedContent File { get; }

    public string? FileName { get; }

    public string? Classification { get; }

    public static string FileTooLarge(long max) => $"A document is limited to {max / (1024 * 1024)} MB.";

    public static async Task<DocumentForm> ReadAsync(HttpRequest request, IContentStore store, DocumentOptions limits, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedContentException("Send the document as multipart/form-data with a 'file' part and a 'classification'.");
        }

        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 70)
        {
            throw ValidationFailedException.For("$", "The multipart body has no valid boundary.");
        }

        var maxBody = limits.MaxFileBytes + FormOverhead;
        if (request.ContentLength > maxBody)
        {
            // Refused before a byte of it is read.
            throw new TooLargeException(FileTooLarge(limits.MaxFileBytes));
        }

        // Every other endpoint keeps Kestrel's 1 MB; this one takes a file.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = maxBody;
        }

        StagedContent? file = null;
        try
        {
            string? fileName = null;
            string? classification = null;
            var reader = new MultipartReader(boundary, request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 8 * 1024 };
            var sections = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++sections > MaxSections || !ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw ValidationFailedException.For("$", "The body must be form data with a 'file' part and a 'classification'.");
                }

                switch (HeaderUtilities.RemoveQuotes(disposition.Name).Value)
                {
                    case "file" when file is null:
                        fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value is { Length: > 0 } star ? star : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                        file = await store.StageAsync(section.Body, limits.MaxFileBytes, cancellationToken)
                            ?? throw new TooLargeException(FileTooLarge(limits.MaxFileBytes));
                        break;
                    case "file":
                        throw ValidationFailedException.For("$.file", "Send one file per upload.");
                    case "classification" when classification is null:
                        classification = await ReadFieldAsync(section.Body, cancellationToken);
                        break;
                    default:
                        throw ValidationFailedException.For("$", "The form takes one 'file' and one 'classification', nothing else.");
                }
            }

            if (file is null)
            {
                throw ValidationFailedException.For("$.file", "A file is required.");
            }

            if (file.Length == 0)
            {
                throw ValidationFailedException.For("$.file", "The file is empty.");
            }

            return new DocumentForm(file, fileName, classification);
        }
        catch (Exception ex) when (Refusal(ex, request, limits) is { } refusal)
        {
            file?.Dispose();
            throw refusal;
        }
        catch
        {
            file?.Dispose();
            throw;
        }
    }

    public void Dispose() => File.Dispose();

    /// <summary>What a failure while reading the body is answered with; null for the problems already thrown and for a client that went away.</summary>
    private static Exception? Refusal(Exception ex, HttpRequest request, DocumentOptions limits) => ex switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new TooLargeException(FileTooLarge(limits.MaxFileBytes)),
        _ when request.HttpContext.RequestAborted.IsCancellationRequested => null,
        InvalidDataException or IOException => ValidationFailedException.For("$", "The body is not valid multipart/form-data."),
        _ => null,
    };

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read > MaxFieldBytes)
        {
            throw ValidationFailedException.For("$.classification", "Use applicant, government or jurisdiction.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read).Trim();
        }
        catch (DecoderFallbackException)
        {
            throw ValidationFailedException.For("$.classification", "Use applicant, government or jurisdiction.");
        }
    }
}
