using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Audit;

public sealed record AuditEntryView(long Seq, DateTimeOffset At, string Actor, string Action, JsonNode? Data, string Hash);

public sealed record AuditVerification(bool Valid, long Entries, long? FirstBrokenSeq, string? Reason);

/// <summary>Every recorded event of a case, for officials of a participating jurisdiction and admins.</summary>
public sealed record GetCaseAudit(CurrentUser User, Guid CaseId) : IQuery<IReadOnlyList<AuditEntryView>>;

public sealed class GetCaseAuditHandler(ScreeningDbContext db) : IQueryHandler<GetCaseAudit, IReadOnlyList<AuditEntryView>>
{
    public async ValueTask<IReadOnlyList<AuditEntryView>> Handle(GetCaseAudit query, CancellationToken cancellationToken)
    {
        var record = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == query.CaseId, cancellationToken);
        if (record is null || !CaseViews.CanRead(query.User, record))
        {
            throw new NotFoundException("There is no such case.");
        }

        var entries = await db.Audit.AsNoTracking().Where(a => a.CaseId == query.CaseId).OrderBy(a => a.Seq).ToListAsync(cancellationToken);
        return [.. entries.Select(e => new AuditEntryView(e.Seq, CaseViews.Utc(e.At), e.Actor, e.Action, JsonNode.Parse(e.DataJson), e.Hash))];
    }
}

/// <summary>Recomputes the whole chain and reports the first entry that was edited, removed or reordered.</summary>
public sealed record VerifyAudit : IQuery<AuditVerification>;

public sealed class VerifyAuditHandler(ScreeningDbContext db) : IQueryHandler<VerifyAudit, AuditVerification>
{
    public async ValueTask<AuditVerification> Handle(VerifyAudit query, CancellationToken cancellationToken)
    {
        long expectedSeq = 1;
        var previous = string.Empty;
        long count = 0;
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
                return new AuditVerification(false, await db.Audit.LongCountAsync(cancellationToken), Math.Min(expectedSeq, entry.Seq), reason);
            }

            previous = entry.Hash;
            expectedSeq++;
        }

        return new AuditVerification(true, count, null, null);
    }
}

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/cases/{id:guid}/audit", async Task<Ok<IReadOnlyList<AuditEntryView>>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetCaseAudit(CurrentUser.From(context.User), id), cancellationToken)))
            .RequireAuthorization(Policies.AuditReader).WithTags("Audit");

        routes.MapGet("/api/audit/verify", async Task<Ok<AuditVerification>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new VerifyAudit(), cancellationToken)))
            .RequireAuthorization(Policies.Admin).WithTags("Audit");

        return routes;
    }
}
