using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Audit;

/// <summary>
/// Collects the audit entries of one command; the writer (<see cref="GroupCommit"/>) numbers and chains them inside
/// the command's savepoint of the shared write transaction, so every state change and its entry commit together.
/// </summary>
public sealed class AuditTrail(TimeProvider time)
{
    private readonly List<AuditEntry> _pending = [];

    /// <summary>Entries recorded but not committed yet.</summary>
    public IReadOnlyList<AuditEntry> Pending => _pending;

    /// <summary>Records an event.</summary>
    public void Record(string actor, string action, Guid? caseId, object? data = null) =>
        _pending.Add(new AuditEntry
        {
            // Whole microseconds: what PostgreSQL's timestamps keep, so the hash recomputed from a stored row matches.
            At = Microseconds(time.GetUtcNow().UtcDateTime),
            Actor = actor,
            Action = action,
            CaseId = caseId,
            DataJson = JsonSerializer.Serialize(data ?? new { }, AuditJson.Options),
        });

    private static DateTime Microseconds(DateTime at) => new(at.Ticks - (at.Ticks % 10), DateTimeKind.Utc);

    /// <summary>
    /// Numbers and chains the pending entries onto <paramref name="tail"/>, inside the writer's transaction
    /// (<see cref="GroupCommit"/>, which inserts them); returns them, the last one the new tail.
    /// </summary>
    internal IReadOnlyList<AuditEntry> Chain(ChainTail? tail)
    {
        if (_pending.Count == 0)
        {
            return [];
        }

        var seq = tail?.Seq ?? 0;
        var previous = tail?.Hash ?? string.Empty;
        var chained = _pending.ToList();
        foreach (var entry in chained)
        {
            entry.Seq = ++seq;
            entry.PreviousHash = previous;
            entry.Hash = previous = ComputeHash(entry);
        }

        _pending.Clear();
        return chained;
    }

    /// <summary>The trail's last entry, read inside the writer's transaction when no commit of this process left it.</summary>
    internal static Task<ChainTail?> ReadTailAsync(ScreeningDbContext db, CancellationToken cancellationToken) =>
        db.Audit.AsNoTracking().OrderByDescending(a => a.Seq).Select(a => new ChainTail(a.Seq, a.Hash)).FirstOrDefaultAsync(cancellationToken);

    /// <summary>The hash of an entry: it covers the entry's fields and the previous entry's hash.</summary>
    public static string ComputeHash(AuditEntry entry)
    {
        var canonical = string.Join('\u001f',
            entry.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DateTime.SpecifyKind(entry.At, DateTimeKind.Utc).Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            entry.Actor,
            entry.Action,
            entry.CaseId?.ToString() ?? string.Empty,
            entry.DataJson,
            entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}

/// <summary>JSON options of audit data.</summary>
public static class AuditJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        Converters = { new Hosting.UtcInstantConverter() },
    };
}
