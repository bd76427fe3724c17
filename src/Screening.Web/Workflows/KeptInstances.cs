using System.Collections.Concurrent;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>
/// The live instances of recently active cases, each under the version of its row it was committed as
/// (decision 0026). A command takes its case's instance out, so no two commands run on one object; it is put back
/// only after its command committed, under the new version. A command finds it usable only when the version it
/// has just read from the database is the same: otherwise (another node wrote it, or a failed commit never put it
/// back) the instance is read from the database. Whatever is taken, the commit's guard on the version decides, so
/// a stale copy can never win. At most <see cref="Capacity"/> are kept; past that the whole set is dropped, which
/// costs only reads.
/// </summary>
public sealed class KeptInstances(int capacity = KeptInstances.Capacity)
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<Guid, KeptInstance> _kept = new();

    /// <summary>Takes the case's instance if it is kept under <paramref name="version"/>; null otherwise (and whatever was kept goes).</summary>
    public KeptInstance? Take(Guid caseId, long version) =>
        _kept.TryRemove(caseId, out var kept) && kept.Version == version ? kept : null;

    /// <summary>After a commit: the instance as it now stands in the database.</summary>
    public void Put(Guid caseId, KeptInstance kept)
    {
        if (_kept.Count >= capacity)
        {
            _kept.Clear();
        }

        _kept[caseId] = kept;
    }

    public int Count => _kept.Count;
}

/// <summary>An instance as committed under <see cref="Version"/>, with what of its journal is stored.</summary>
public sealed record KeptInstance(WorkflowInstance Instance, long Version, JournalMark Journal);

/// <summary>
/// How much of an instance's journal is stored: the entries up to <see cref="Stored"/> are rows, and the ones still
/// open then (a waiting step's entry, which its completion fills in) as they were written, to tell which changed.
/// Entries are only ever added at the end or filled in while open, so nothing else needs comparing.
/// </summary>
public sealed record JournalMark(int Stored, IReadOnlyList<StoredEntry> Open)
{
    public static JournalMark None { get; } = new(0, []);
}

/// <summary>An open journal entry as it was stored.</summary>
public sealed record StoredEntry(JournalEntry Entry, string? Outcome, string? Actor, DateTimeOffset? CompletedAt, string? Note)
{
    public static StoredEntry Of(JournalEntry entry) => new(entry, entry.Outcome, entry.Actor, entry.CompletedAt, entry.Note);

    public bool Changed => Entry.Outcome != Outcome || Entry.Actor != Actor || Entry.CompletedAt != CompletedAt || Entry.Note != Note;
}
