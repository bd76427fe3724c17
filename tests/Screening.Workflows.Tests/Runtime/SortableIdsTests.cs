using Screening.Workflows.Runtime;

namespace Screening.Workflows.Tests.Runtime;

public sealed class SortableIdsTests
{
    private static readonly DateTimeOffset Instant = new(2027, 1, 4, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void IdsMadeInOneInstantSortInTheOrderTheyWereMadeAsBytesAndAsText()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => SortableIds.New(Instant)).ToList();

        // As PostgreSQL compares uuid (bytes, most significant first) and SQLite compares the stored text.
        Assert.Equal(ids, ids.OrderBy(i => Convert.ToHexString(i.ToByteArray(bigEndian: true)), StringComparer.Ordinal));
        Assert.Equal(ids, ids.OrderBy(i => i.ToString().ToUpperInvariant(), StringComparer.Ordinal));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    // Far ahead of any instant another test uses, so the millisecond is this one (the ids never go back).
    [Fact]
    public void AnIdIsAVersion7GuidCarryingItsMillisecond()
    {
        var later = Instant.AddYears(100).AddMilliseconds(7);
        var id = SortableIds.New(later);
        var bytes = id.ToByteArray(bigEndian: true);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, bytes[8] >> 6);
        var milliseconds = bytes[..6].Aggregate(0L, (acc, b) => (acc << 8) | b);
        Assert.Equal(later.ToUnixTimeMilliseconds(), milliseconds);
    }

    [Fact]
    public void AClockThatGoesBackStillGivesALargerId()
    {
        var first = SortableIds.New(Instant.AddYears(3));
        var second = SortableIds.New(Instant);

        Assert.True(string.CompareOrdinal(first.ToString(), second.ToString()) < 0);
    }
}
