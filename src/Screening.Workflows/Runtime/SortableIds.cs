namespace Screening.Workflows.Runtime;

/// <summary>
/// Version 7 GUIDs that sort in the order this process made them. <see cref="Guid.CreateVersion7(DateTimeOffset)"/>
/// fills everything after the millisecond with random bits, so ids made within one millisecond (a run that
/// opens two tasks, or any number of them on a clock that stands still) sort at random; a list ordered by its
/// creation time then shows them in an order that changes with the database. Here the 74 bits after the
/// millisecond count up within it (starting from a random point), so the id breaks a creation-time tie the way
/// the rows were made. Across processes the order within a millisecond is arbitrary, but never unstable.
/// </summary>
public static class SortableIds
{
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds = long.MinValue;
    private static UInt128 _counter;

    /// <summary>An id for an instant given as a UTC <see cref="DateTime"/> (of any kind: stored instants are UTC).</summary>
    public static Guid New(DateTime utc) => New(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    public static Guid New(DateTimeOffset at)
    {
        var milliseconds = at.ToUnixTimeMilliseconds();
        UInt128 counter;
        lock (Gate)
        {
            if (milliseconds > _lastMilliseconds)
            {
                _lastMilliseconds = milliseconds;
                // A random start in the lower half leaves room for 2^73 ids in the same millisecond.
                Span<byte> random = stackalloc byte[16];
                System.Security.Cryptography.RandomNumberGenerator.Fill(random);
                _counter = new UInt128(BitConverter.ToUInt64(random[..8]), BitConverter.ToUInt64(random[8..])) & ((UInt128.One << 73) - 1);
            }
            else
            {
                // The clock stood still or went back: stay in the last millisecond and count on.
                milliseconds = _lastMilliseconds;
                _counter++;
            }

            counter = _counter;
        }

        // Layout (RFC 9562): 48 bits unix_ts_ms, 4 bits version (7), 12 bits rand_a, 2 bits variant (10), 62 bits rand_b;
        // the counter's high 12 bits go in rand_a and its low 62 in rand_b.
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 0; i < 6; i++)
        {
            bytes[i] = (byte)(milliseconds >> (40 - (8 * i)));
        }

        var high = (ushort)((ulong)(counter >> 62) & 0xFFF);
        var low = (ulong)(counter & ((UInt128.One << 62) - 1));
        bytes[6] = (byte)(0x70 | (high >> 8));
        bytes[7] = (byte)high;
        bytes[8] = (byte)(0x80 | (byte)(low >> 56));
        for (var i = 9; i < 16; i++)
        {
            bytes[i] = (byte)(low >> (8 * (15 - i)));
        }

        return new Guid(bytes, bigEndian: true);
    }
}
