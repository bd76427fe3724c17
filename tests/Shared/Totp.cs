using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Screening.Testing;

/// <summary>
/// RFC 6238 codes as an authenticator app computes them (HMAC-SHA-1, 30-second steps, 6 digits) from a base32
/// secret, on the real clock: what a test or the benchmark types in where an official signs in.
/// </summary>
internal static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static string Code(string base32Secret) => Code(base32Secret, DateTimeOffset.UtcNow);

    public static string Code(string base32Secret, DateTimeOffset at)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / (long)Step.TotalSeconds);
        var hash = HMACSHA1.HashData(FromBase32(base32Secret), counter);
        var offset = hash[^1] & 0x0f;
        var value = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return value.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>The time left in the current step: a test that needs one code twice waits past a step about to end.</summary>
    public static TimeSpan LeftInStep(DateTimeOffset at) => Step - TimeSpan.FromSeconds(at.ToUnixTimeSeconds() % (long)Step.TotalSeconds);

    private static byte[] FromBase32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var clean = text.Replace(" ", "", StringComparison.Ordinal).TrimEnd('=').ToUpperInvariant();
        var bytes = new byte[clean.Length * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var c in clean)
        {
            var value = alphabet.IndexOf(c, StringComparison.Ordinal);
            if (value < 0)
            {
                throw new FormatException($"'{c}' is not a base32 character.");
            }

            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes[index++] = (byte)(buffer >> bits);
            }
        }

        return bytes;
    }
}
