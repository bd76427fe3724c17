using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Screening.Web.Documents;

/// <summary>A format a document is accepted in: its media type and the extensions its name may end with.</summary>
public sealed record DocumentFormat(string ContentType, params string[] Extensions);

/// <summary>
/// What a file is, told by its content, never by its name (decision 0017): PDF, PNG, JPEG, TIFF and the Office
/// Open XML formats. A PDF with active content, an Office file with macros, or a ZIP that would expand beyond
/// reason is no document this host accepts. Only the ZIP's central directory and its content-types part are read.
/// </summary>
public static class DocumentFormats
{
    public static readonly DocumentFormat Pdf = new("application/pdf", ".pdf");
    public static readonly DocumentFormat Png = new("image/png", ".png");
    public static readonly DocumentFormat Jpeg = new("image/jpeg", ".jpg", ".jpeg");
    public static readonly DocumentFormat Tiff = new("image/tiff", ".tif", ".tiff");
    public static readonly DocumentFormat Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly DocumentFormat Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    public static readonly DocumentFormat Pptx = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");

    public const string Accepted = "PDF, PNG, JPEG, TIFF, or an Office Open XML document (DOCX, XLSX, PPTX)";

    // The central directory of a real Office file is a few kilobytes; these bounds are far above any.
    private const int MaxEntries = 10_000;
    private const long MaxCentralDirectory = 4L * 1024 * 1024;
    private const long MaxExpandedTotal = 1L * 1024 * 1024 * 1024;
    private const long MaxExpandedEntry = 256L * 1024 * 1024;
    private const long RatioCheckedFrom = 1024 * 1024;
    private const long MaxRatio = 200;
    private const int MaxContentTypesBytes = 1024 * 1024;

    private static readonly (string Folder, string MainType, DocumentFormat Format)[] OfficeMains =
    [
        ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", Docx),
        ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", Xlsx),
        ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml", Pptx),
    ];

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> JpegSignature => [0xFF, 0xD8, 0xFF];

    /// <summary>The file's format, or why it is refused.</summary>
    public static (DocumentFormat? Format, string? Refusal) Detect(string path)
    {
        Span<byte> head = stackalloc byte[8];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var start = head[..read];
        if (start.StartsWith("%PDF-"u8))
        {
            return PdfActiveContent.Find(path) is { } found
                ? (null, $"The PDF holds active content ({found}); documents with scripts or launch actions are not accepted.")
                : (Pdf, null);
        }

        if (start.StartsWith(PngSignature))
        {
            return (Png, null);
        }

        if (start.StartsWith(JpegSignature))
        {
            return (Jpeg, null);
        }

        if (start.StartsWith("II*\0"u8) || start.StartsWith("MM\0*"u8))
        {
            return (Tiff, null);
        }

        if (start.StartsWith("PK\u0003\u0004"u8))
        {
            return Office(path);
        }

        return (null, $"The file is not a {Accepted}; its content decides, not its name.");
    }

    private static (DocumentFormat? Format, string? Refusal) Office(string path)
    {
        const string notOffice = "The ZIP file is not an Office Open XML document (DOCX, XLSX, PPTX).";
        const string bomb = "The ZIP file would expand far beyond what a document needs; it is not accepted.";
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.RandomAccess);
        if (ReadDirectoryEnd(file) is not { } end)
        {
            return (null, notOffice);
        }

        if (end.Entries > MaxEntries || end.DirectorySize > MaxCentralDirectory || end.DirectoryOffset + end.DirectorySize > file.Length)
        {
            return (null, bomb);
        }

        try
        {
            file.Position = 0;
            using var zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
            long expanded = 0;
            ZipArchiveEntry? contentTypes = null;
            var folders = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                expanded += entry.Length;
                var ratio = entry.Length / Math.Max(1, entry.CompressedLength);
                if (entry.Length > MaxExpandedEntry || expanded > MaxExpandedTotal || (entry.Length > RatioCheckedFrom && ratio > MaxRatio))
                {
                    return (null, bomb);
                }

                if (entry.FullName == "[Content_Types].xml")
                {
                    contentTypes = entry;
                }
                else if (entry.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase))
                {
                    return (null, "The Office document holds macros; documents with macros are not accepted.");
                }

                if (OfficeMains.FirstOrDefault(m => entry.FullName.StartsWith(m.Folder, StringComparison.Ordinal)) is { Folder: { } folder })
                {
                    folders.Add(folder);
                }
            }

            if (contentTypes is null || contentTypes.Length > MaxContentTypesBytes || folders.Count != 1)
            {
                return (null, notOffice);
            }

            var types = ReadCapped(contentTypes, MaxContentTypesBytes);
            var main = OfficeMains.Single(m => m.Folder == folders.Single());
            return types.Contains(main.MainType, StringComparison.Ordinal) ? (main.Format, null) : (null, notOffice);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException or ArgumentException)
        {
            // A damaged archive, or a compression method .NET cannot read: no Office application could open it either.
            return (null, notOffice);
        }
    }

    private sealed record DirectoryEnd(int Entries, long DirectorySize, long DirectoryOffset);

    /// <summary>The ZIP's end-of-central-directory record, read from the file's last 64 KB before anything else is.</summary>
    private static DirectoryEnd? ReadDirectoryEnd(FileStream file)
    {
        const int recordSize = 22;
        var tail = (int)Math.Min(file.Length, recordSize + ushort.MaxValue);
        var buffer = new byte[tail];
        file.Position = file.Length - tail;
        file.ReadExactly(buffer);
        for (var i = tail - recordSize; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) != 0x06054b50)
            {
                continue;
            }

            var record = buffer.AsSpan(i);
            var disk = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
            var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            // No Office document needs several disks or ZIP64 (over 65,535 entries or 4 GB).
            return disk != 0 || entries == ushort.MaxValue || size == uint.MaxValue || offset == uint.MaxValue
                ? new DirectoryEnd(int.MaxValue, size, offset)
                : new DirectoryEnd(entries, size, offset);
        }

        return null;
    }

    private static string ReadCapped(ZipArchiveEntry entry, int max)
    {
        using var stream = entry.Open();
        var buffer = new byte[max];
        var read = stream.ReadAtLeast(buffer, max, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
