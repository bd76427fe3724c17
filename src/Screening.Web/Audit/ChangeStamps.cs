using System.Collections.Concurrent;
using Screening.Web.Persistence;

namespace Screening.Web.Audit;

/// <summary>
/// The last audit sequence number of each case and of the whole trail, as this process saw its own commits,
/// so that a kept view (<see cref="Hosting.StampedCache{TKey, TValue}"/>) is checked without asking the
/// database. Sound only where this process is the database's only writer — SQLite, through its one writer (GroupCommit) —
/// so it is off on PostgreSQL, where the stamps are read from the database every time.
/// A commit marks its cases (and the trail) as changing before it writes and records their new numbers
/// after it commits; while a case is changing, or after a failed commit, readers go to the database. A
/// number read from the database is learned only for a case no commit of this process has touched yet: a
/// commit that started after the read would have left its mark first. Past <paramref name="capacity"/>
/// cases, a commit forgets them all and starts a new epoch; a number read in an earlier epoch is not learned.
/// The last committed entry's number and hash (the chain's tail) are kept too, so the next commit chains
/// onto them without reading the trail; a commit takes the tail, and only its success puts one back.
/// </summary>
public sealed class ChangeStamps(bool enabled, int capacity = ChangeStamps.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    private const long Unknown = -2;
    private const long Changing = -1;

    private readonly ConcurrentDictionary<Guid, long> _cases = new();
    private readonly Lock _forgetting = new();
    private long _trail = Unknown;
    private long _epoch;
    private ChainTail? _tail;

    /// <summary>Taken before reading a case's number from the database, and given back with it to <see cref="Learned"/>.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The case's last audit number: known, or read with <paramref name="read"/> and learned; null for no entries.</summary>
    public async Task<long?> CaseAsync(Guid caseId, Func<Task<long?>> read)
    {
        var epoch = Epoch;
        if (Case(caseId) is { } known)
        {
            return known;
        }

        var stamp = await read();
        if (stamp is { } last)
        {
            Learned(caseId, last, epoch);
        }

        return stamp;
    }

    /// <summary>The trail's last audit number: known, or read with <paramref name="read"/> and learned.</summary>
    public async Task<long?> TrailAsync(Func<Task<long?>> read)
    {
        if (Trail() is { } known)
        {
            return known;
        }

        var stamp = await read();
        if (stamp is { } last)
        {
            LearnedTrail(last);
        }

        return stamp;
    }

    /// <summary>The case's last audit number if this process knows it and no commit is under way, else null.</summary>
    public long? Case(Guid caseId) => enabled && _cases.TryGetValue(caseId, out var stamp) && stamp >= 0 ? stamp : null;

    /// <summary>The trail's last audit number if known and no commit is under way, else null.</summary>
    public long? Trail()
    {
        var stamp = Interlocked.Read(ref _trail);
        return enabled && stamp >= 0 ? stamp : null;
    }

    /// <summary>A number read from the database in <paramref name="epoch"/>, kept if no commit of this process has touched the case.</summary>
    public void Learned(Guid caseId, long stamp, long epoch)
    {
        if (!enabled)
        {
            return;
        }

        lock (_forgetting)
        {
            if (epoch == _epoch)
            {
                _cases.TryAdd(caseId, stamp);
            }
        }
    }

    /// <summary>The trail's number read from the database, kept if no commit of this process has happened.</summary>
    public void LearnedTrail(long stamp)
    {
        if (enabled)
        {
            Interlocked.CompareExchange(ref _trail, stamp, Unknown);
        }
    }

    /// <summary>
    /// The tail the last successful commit left, for the commit under way to chain onto, or null (read the
    /// trail). By the one writer; taking it leaves none, so a commit that fails is followed by a read.
    /// </summary>
    public ChainTail? TakeTail() => enabled ? Interlocked.Exchange(ref _tail, null) : null;

    /// <summary>
    /// After a commit that wrote no entries (an outbox delivery, a mail sent): the chain is as it was, so the tail it
    /// took, or read, is still the tail for the next commit.
    /// </summary>
    public void ReturnTail(ChainTail? tail)
    {
        if (enabled && tail is not null)
        {
            Interlocked.CompareExchange(ref _tail, tail, null);
        }
    }

    /// <summary>Before a commit writes these entries (a commit without entries changes nothing a view shows).</summary>
    public void Writing(IReadOnlyList<AuditEntry> entries)
    {
        if (!enabled || entries.Count == 0)
        {
            return;
        }

        Interlocked.Exchange(ref _trail, Changing);
        foreach (var entry in entries)
        {
            if (entry.CaseId is { } caseId)
            {
                _cases[caseId] = Changing;
            }
        }
    }

    /// <summary>After the commit: the new last numbers. A failed commit records nothing, leaving its cases to the database.</summary>
    public void Committed(IReadOnlyList<AuditEntry> entries)
    {
        if (!enabled || entries.Count == 0)
        {
            return;
        }

        foreach (var group in entries.Where(e => e.CaseId is not null).GroupBy(e => e.CaseId!.Value))
        {
            _cases[group.Key] = group.Max(e => e.Seq);
        }

        var last = entries.MaxBy(e => e.Seq)!;
        Interlocked.Exchange(ref _trail, last.Seq);
        Interlocked.Exchange(ref _tail, new ChainTail(last.Seq, last.Hash));
        if (_cases.Count > capacity)
        {
            // By the one writer, so no other commit is under way: forgetting loses knowledge, never truth.
            lock (_forgetting)
            {
                _cases.Clear();
                Interlocked.Increment(ref _epoch);
            }
        }
    }
}

/// <summary>The last entry of the audit chain: its number and hash.</summary>
public sealed record ChainTail(long Seq, string Hash);
