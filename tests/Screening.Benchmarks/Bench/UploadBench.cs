using System.Text;

namespace Screening.Benchmarks.Bench;

/// <summary>A PDF of a given size made as it is read, so the benchmark process holds none of it in memory.</summary>
public static class UploadBench
{
    public static Stream Pdf(int bytes, int seed) => new PdfStream(bytes, seed);

    private sealed class PdfStream(int length, int seed) : Stream
    {
        private static readonly byte[] Head = Encoding.ASCII.GetBytes("%PDF-1.7\n");
        private static readonly byte[] Tail = Encoding.ASCII.GetBytes("\n%%EOF\n");
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count && _position < length)
            {
                var at = _position;
                buffer[offset + written] = at < Head.Length ? Head[at]
                    : at >= length - Tail.Length ? Tail[at - (length - Tail.Length)]
                    : at % 80 == 0 ? (byte)'\n' : at % 80 == 1 ? (byte)'%' : (byte)('a' + ((at + seed) % 26));
                _position++;
                written++;
            }

            return written;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
