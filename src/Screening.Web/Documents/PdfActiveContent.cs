using System.IO.Compression;
using System.Text;

namespace Screening.Web.Documents;

/// <summary>
/// Finds active content in a PDF: the names of JavaScript (<c>/JavaScript</c>, <c>/JS</c>, which every
/// script action and open action that runs one carries) and of launch actions (<c>/Launch</c>), spelled plainly
/// or with <c>#xx</c> escapes, in the file's own syntax and inside its Flate-compressed streams (object streams
/// hide objects there). The file is read once, front to back; each compressed stream is inflated with a cap.
/// </summary>
public static class PdfActiveContent
{
    public const long MaxInflatedPerStream = 32L * 1024 * 1024;
    public const long MaxInflatedTotal = 256L * 1024 * 1024;

    private static readonly HashSet<string> Active = new(["JavaScript", "JS", "Launch"], StringComparer.Ordinal);

    // "stream" and "ndstream" as the low bytes of a window of the last eight bytes read.
    private const ulong StreamKeyword = 0x73747265616D;
    private const ulong EndStreamKeyword = 0x6E6473747265616D;

    private enum Mode
    {
        Syntax,
        AfterKeyword,
        AfterCarriageReturn,
        InStream,
    }

    /// <summary>What active content the PDF holds (or why it cannot be checked), or null when it holds none.</summary>
    public static string? Find(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var streams = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.RandomAccess);
        var names = new NameReader();
        var buffer = new byte[64 * 1024];
        var inflated = 0L;
        var mode = Mode.Syntax;
        ulong window = 0;
        long offset = 0;
        int read;
        while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var b = buffer[i];
                var position = offset + i;
                window = (window << 8) | b;
                long? dataStart = null;
                switch (mode)
                {
                    case Mode.Syntax:
                        names.Feed(b);
                        // The keyword, not the end of "endstream" or a longer word.
                        if ((window & 0xFFFFFFFFFFFF) == StreamKeyword && !NameReader.IsRegular((byte)(window >> 48)))
                        {
                            mode = Mode.AfterKeyword;
                        }

                        break;
                    case Mode.AfterKeyword when b == '\n':
                        dataStart = position + 1;
                        break;
                    case Mode.AfterKeyword when b == '\r':
                        mode = Mode.AfterCarriageReturn;
                        break;
                    case Mode.AfterKeyword:
                        mode = Mode.Syntax;
                        names.Feed(b);
                        break;
                    case Mode.AfterCarriageReturn:
                        dataStart = b == '\n' ? position + 1 : position;
                        break;
                    case Mode.InStream when window == EndStreamKeyword:
                        mode = Mode.Syntax;
                        break;
                }

                if (dataStart is { } start)
                {
                    mode = Mode.InStream;
                    if (Inflate(streams, start, ref inflated) is { } inside)
                    {
                        return inside;
                    }
                }

                if (names.Found is { } found)
                {
                    return found;
                }
            }

            offset += read;
        }

        names.End();
        return names.Found;
    }

    /// <summary>Inflates the stream whose data starts at <paramref name="start"/> if it is zlib data, and reads its names.</summary>
    private static string? Inflate(FileStream file, long start, ref long inflated)
    {
        Span<byte> header = stackalloc byte[2];
        file.Position = start;
        if (file.ReadAtLeast(header, 2, throwOnEndOfStream: false) < 2 || (header[0] & 0x0F) != 8 || ((header[0] << 8) | header[1]) % 31 != 0)
        {
            return null; // not Flate: an image's DCT data, or uncompressed content read in the file itself
        }

        file.Position = start;
        var names = new NameReader();
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            using var zlib = new ZLibStream(file, CompressionMode.Decompress, leaveOpen: true);
            int read;
            while ((read = zlib.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                inflated += read;
                if (total > MaxInflatedPerStream || inflated > MaxInflatedTotal)
                {
                    return "compressed streams that expand beyond what can be checked";
                }

                for (var i = 0; i < read && names.Found is null; i++)
                {
                    names.Feed(buffer[i]);
                }

                if (names.Found is { } found)
                {
                    return $"{found} in a compressed stream";
                }
            }
        }
        catch (InvalidDataException)
        {
            // Not valid zlib after all: whatever it is, no PDF reader inflates it into objects either.
        }

        names.End();
        return names.Found is { } last ? $"{last} in a compressed stream" : null;
    }

    /// <summary>Reads PDF names (<c>/Name</c>, with <c>#xx</c> escapes) byte by byte and remembers the first active one.</summary>
    private sealed class NameReader
    {
        private readonly byte[] _name = new byte[127];
        private int _length = -1;
        private bool _overflow;

        public string? Found { get; private set; }

        public static bool IsRegular(byte b) => b switch
        {
            0 or 9 or 10 or 12 or 13 or 32 => false,
            (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%' => false,
            _ => true,
        };

        public void Feed(byte b)
        {
            if (_length >= 0)
            {
                if (IsRegular(b))
                {
                    if (_length < _name.Length)
                    {
                        _name[_length++] = b;
                    }
                    else
                    {
                        _overflow = true;
                    }

                    return;
                }

                End();
            }

            if (b == '/')
            {
                _length = 0;
                _overflow = false;
            }
        }

        public void End()
        {
            if (_length > 0 && !_overflow && Found is null)
            {
                var name = Decode(_name.AsSpan(0, _length));
                if (Active.Contains(name))
                {
                    Found = "/" + name;
                }
            }

            _length = -1;
        }

        private static string Decode(ReadOnlySpan<byte> raw)
        {
            var text = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '#' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
                {
                    text.Append((char)Convert.ToByte(Encoding.ASCII.GetString(raw.Slice(i + 1, 2)), 16));
                    i += 2;
                }
                else
                {
                    text.Append((char)raw[i]);
                }
            }

            return text.ToString();
        }

        private static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
    }
}
