using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Audit;

public sealed record AuditVerification(bool Valid, long Entries, long? FirstBrokenSeq, string? Reason);

/// <summary>Recomputes the whole chain and reports the first entry that was edited, removed or reordered.</summary>
public sealed record VerifyAudit : IQuery<AuditVerification>;

public sealed class VerifyAuditHandler(ScreeningDbContext db) : IQueryHandler<VerifyAudit, AuditVerification>
{
    public async ValueTask<AuditVerification> Handle(VerifyAudit query, CancellationToken cancellationToken)
    {
        long expectedSeq = 1;
        var previous = string.Empty;
        long count = 0;
        (long Seq, string Reason)? broken = null;
        await foreach (var entry in db.Audit.AsNoTracking().OrderBy(a => a.Seq).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            count++;
            string? reason = null;
            if (entry.Seq != expectedSeq)
            {
                reason = $"entry {expectedSeq} is missing";
            }
            else if (entry.PreviousHash != previous)
            {
                reason = "its link to the previous entry does not match";
            }
            else if (AuditTrail.ComputeHash(entry) != entry.Hash)
            {
                reason = "its content does not match its hash";
            }

            if (reason is not null)
            {
                broken = (Math.Min(expectedSeq, entry.Seq), reason);
                break;
            }

            previous = entry.Hash;
            expectedSeq++;
        }

        // Counted once the reader is closed: PostgreSQL runs one command at a time on a connection.
        return broken is { } at
            ? new AuditVerification(false, await db.Audit.LongCountAsync(cancellationToken), at.Seq, at.Reason)
            : new AuditVerification(true, count, null, null);
    }
}
