using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Documents built in code (PDFs, images, Office files, and hostile look-alikes) and the calls that upload them.</summary>
public static class TestDocuments
{
    public const string DocxMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public const string XlsxMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public const string PptxMain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";

    /// <summary>A small valid PDF whose page says <paramref name="text"/>; <paramref name="extra"/> is added as one more object.</summary>
    public static byte[] Pdf(string text = "Shareholder register", string? extra = null)
    {
        var objects = new List<string>
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        };
        var content = $"BT /F1 12 Tf 72 720 Td ({text}) Tj ET";
        objects.Add($"<< /Length {content.Length} >>\nstream\n{content}\nendstream");
        if (extra is not null)
        {
            objects.Add(extra);
        }

        var pdf = new StringBuilder("%PDF-1.7\n");
        for (var i = 0; i < objects.Count; i++)
        {
            pdf.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }

        pdf.Append("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return Encoding.Latin1.GetBytes(pdf.ToString());
    }

    /// <summary>A PDF whose open action runs JavaScript, hidden in a Flate-compressed object stream.</summary>
    public static byte[] PdfWithScriptInObjectStream()
    {
        var hidden = Zlib(Encoding.ASCII.GetBytes("5 0 << /Type /Action /S /JavaScript /JS (app.alert\\('pwned'\\)) >>"));
        var head = Encoding.Latin1.GetBytes("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction 5 0 R >>\nendobj\n6 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length " + hidden.Length + " >>\nstream\n");
        var tail = Encoding.Latin1.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return [.. head, .. hidden, .. tail];
    }

    public static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. "IHDR"u8, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xDE];

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

    public static byte[] Tiff() => [.. "II*\0"u8, 8, 0, 0, 0, 0, 0];

    /// <summary>An Office Open XML package: <c>[Content_Types].xml</c> naming its main part, and the parts given.</summary>
    public static byte[] Office(string folder, string mainType, params (string Name, byte[] Content)[] more)
    {
        var main = folder switch { "word/" => "document.xml", "xl/" => "workbook.xml", _ => "presentation.xml" };
        var types = $"""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/{folder}{main}" ContentType="{mainType}"/></Types>""";
        return Zip([("[Content_Types].xml", Encoding.UTF8.GetBytes(types)), ($"{folder}{main}", "<document/>"u8.ToArray()), .. more]);
    }

    public static byte[] Docx() => Office("word/", DocxMain);

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                stream.Write(content);
            }
        }

        return memory.ToArray();
    }

    /// <summary>A DOCX in shape whose one part expands from a few kilobytes to 64 MB of zeros.</summary>
    public static byte[] ZipBombDocx() => Office("word/", DocxMain, ("word/media/filler.bin", new byte[64 * 1024 * 1024]));

    /// <summary>A DOCX whose central directory claims a part of nearly 4 GB (nothing that large is in it).</summary>
    public static byte[] DocxDeclaringAHugePart()
    {
        var zip = Office("word/", DocxMain, ("word/media/huge.bin", "small"u8.ToArray()));
        // Central directory headers (PK\1\2) keep the uncompressed size at offset 24.
        var name = "word/media/huge.bin"u8.ToArray();
        for (var i = 0; i < zip.Length - 46; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46).StartsWith(name))
            {
                BitConverter.GetBytes(0xFFFFFFF0u).CopyTo(zip, i + 24);
            }
        }

        return zip;
    }

    /// <summary>A DOCX whose content-types part claims a compression method no reader here knows (LZMA, 14).</summary>
    public static byte[] DocxWithAnUnknownCompressionMethod()
    {
        var zip = Docx();
        var name = "[Content_Types].xml"u8.ToArray();
        for (var i = 0; i < zip.Length - 46; i++)
        {
            // The method is at offset 8 of a local header (PK\3\4, name at 30) and 10 of a central one (PK\1\2, name at 46).
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && zip.AsSpan(i + 30).StartsWith(name))
            {
                BitConverter.GetBytes((ushort)14).CopyTo(zip, i + 8);
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 46).StartsWith(name))
            {
                BitConverter.GetBytes((ushort)14).CopyTo(zip, i + 10);
            }
        }

        return zip;
    }

    public static byte[] Elf() => [0x7F, .. "ELF"u8, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0, 1, 0, 0, 0];

    public static byte[] WindowsExecutable() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, .. "This program cannot be run in DOS mode."u8];

    public static byte[] Zlib(byte[] data)
    {
        using var memory = new MemoryStream();
        using (var zlib = new ZLibStream(memory, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return memory.ToArray();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static MultipartFormDataContent Form(byte[] content, string fileName, string? classification, string mediaType = "application/octet-stream") =>
        Form(new ByteArrayContent(content), fileName, classification, mediaType);

    public static MultipartFormDataContent Form(HttpContent file, string fileName, string? classification, string mediaType = "application/octet-stream")
    {
        file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        if (classification is not null)
        {
            form.Add(new StringContent(classification), "classification");
        }

        return form;
    }

    /// <summary>Uploads a file to a case and keeps the raw response.</summary>
    public static Task<RawResponse> UploadAsync(this HttpClient client, string caseId, byte[] content, string fileName, string? classification = "applicant") =>
        client.SendRawAsync(HttpMethod.Post, $"/api/cases/{caseId}/documents", Form(content, fileName, classification));

    /// <summary>Uploads a file that must be accepted; returns the document's id.</summary>
    public static async Task<string> UploadedAsync(this HttpClient client, string caseId, byte[] content, string fileName, string classification = "applicant") =>
        (await client.UploadAsync(caseId, content, fileName, classification)).AssertSuccess(System.Net.HttpStatusCode.Created).S("id");

    public static async Task<RawResponse> SendRawAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var all = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            all[name] = string.Join(",", values);
        }

        return new RawResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, all, text);
    }

    /// <summary>The content store's folder of a test host, and what it holds.</summary>
    public static string StoreDirectory(this ScreeningFactory factory) => Path.Combine(factory.DataDirectory, "documents");

    public static string StoredFile(this ScreeningFactory factory, string sha256) => Path.Combine(factory.StoreDirectory(), sha256[..2], sha256);

    public static IReadOnlyList<string> StoredFiles(this ScreeningFactory factory) =>
        Directory.Exists(factory.StoreDirectory())
            ? [.. Directory.EnumerateFiles(factory.StoreDirectory(), "*", SearchOption.AllDirectories).Where(f => !f.Contains(".staging", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
            : [];

    public static IReadOnlyList<string> StagingFiles(this ScreeningFactory factory)
    {
        var staging = Path.Combine(factory.StoreDirectory(), ".staging");
        return Directory.Exists(staging) ? [.. Directory.EnumerateFiles(staging)] : [];
    }

    public static Task<int> DocumentCountAsync(this ScreeningFactory factory) => factory.QueryAsync(db => db.Documents.CountAsync());
}
