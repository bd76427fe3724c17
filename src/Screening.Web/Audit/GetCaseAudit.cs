using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Audit;

public sealed record AuditEntryView(long Seq, DateTimeOffset At, string Actor, string Action, JsonNode? Data, string Hash);

/// <summary>Every recorded event of a case, for officials of a participating jurisdiction and admins.</summary>
public sealed record GetCaseAudit(CurrentUser User, Guid CaseId) : IQuery<IReadOnlyList<AuditEntryView>>;

public sealed class GetCaseAuditHandler(ScreeningDbContext db) : IQueryHandler<GetCaseAudit, IReadOnlyList<AuditEntryView>>
{
    public async ValueTask<IReadOnlyList<AuditEntryView>> Handle(GetCaseAudit query, CancellationToken cancellationToken)
    {
        var record = await CaseViews.ReadableAsync(db, query.User, query.CaseId, cancellationToken);

        var entries = await db.Audit.AsNoTracking().Where(a => a.CaseId == query.CaseId).OrderBy(a => a.Seq).ToListAsync(cancellationToken);
        return [.. entries.Select(e => new AuditEntryView(e.Seq, CaseViews.Utc(e.At), e.Actor, e.Action, JsonNode.Parse(e.DataJson), e.Hash))];
    }
}

