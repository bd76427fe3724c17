using System.Text.Json.Nodes;
using Mediator;
using Screening.Web.Audit;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

/// <summary>One case as the caller may see it; 404 when it does not exist or is not theirs.</summary>
public sealed record GetCase(CurrentUser User, Guid CaseId) : IQuery<CaseView>;

/// <summary>A built case view for one audience, without what belongs to the moment of reading (filing document, clocks).</summary>
public sealed record KeptCaseView(CaseRecord Record, WorkflowInstance Instance, CaseView View);

/// <summary>
/// Builds the view from the case, its instance, audit trail and rows, and keeps it per audience under the
/// case's last audit entry (<see cref="StampedCache{TKey, TValue}"/>): a case read again unchanged costs one
/// indexed lookup. The caller's right to the case is checked on every read.
/// </summary>
public sealed class GetCaseHandler(ScreeningDbContext db, CalendarCache calendars, StampedCache<(Guid, string), KeptCaseView> cache, ChangeStamps stamps, TimeProvider time)
    : IQueryHandler<GetCase, CaseView>
{
    public const int Kept = 1_000;

    private static readonly Func<ScreeningDbContext, Guid, Task<long?>> LastChange =
        EF.CompileAsyncQuery((ScreeningDbContext db, Guid caseId) => db.Audit.Where(a => a.CaseId == caseId).Max(a => (long?)a.Seq));

    public async ValueTask<CaseView> Handle(GetCase query, CancellationToken cancellationToken)
    {
        var applicantView = !query.User.IsOfficial && !query.User.IsAdmin;
        var audience = applicantView ? "applicant" : $"{(query.User.IsAdmin ? "admin" : "official")}:{query.User.Jurisdiction}";
        var known = stamps.Case(query.CaseId);
        var stamp = known ?? await LastChange(db, query.CaseId);
        if (stamp is { } last && known is null)
        {
            stamps.Learned(query.CaseId, last);
        }

        if (stamp is { } current && cache.Get((query.CaseId, audience), current) is { } kept)
        {
            return Complete(query.User, kept.Record, kept.Instance, kept.View);
        }

        var record = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == query.CaseId, cancellationToken);
        if (record is null || !CaseViews.CanRead(query.User, record))
        {
            throw new NotFoundException("There is no such case.");
        }

        var state = await db.Instances.AsNoTracking().Where(i => i.Id == record.Id).Select(i => i.StateJson).FirstAsync(cancellationToken);
        var instance = WorkflowInstanceSerializer.Deserialize(state);
        var entries = await db.Audit.AsNoTracking().Where(a => a.CaseId == record.Id).OrderBy(a => a.Seq).ToListAsync(cancellationToken);

        IReadOnlyList<CommentView>? comments = null;
        IReadOnlyList<CaseTaskView>? tasks = null;
        IReadOnlyList<NoteView>? notes = null;
        IReadOnlyList<RequestHistoryView>? requests = null;
        if (!applicantView)
        {
            requests = [.. (await db.InformationRequests.AsNoTracking().Where(r => r.CaseId == record.Id).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken))
                .Select(r => new RequestHistoryView(r.Id, r.Question, r.Status, r.Answer, CaseViews.Utc(r.DueAt), CaseViews.Utc(r.CreatedAt), r.RequestedBy))];
            var visible = await Notes.VisibleTo(db.Notes.AsNoTracking().Where(n => n.CaseId == record.Id), query.User).OrderBy(n => n.At).ToListAsync(cancellationToken);
            var authors = await db.Users.AsNoTracking().Where(u => visible.Select(n => n.AuthorId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, cancellationToken);
            notes = [.. visible.Select(n => Notes.View(n, authors.GetValueOrDefault(n.AuthorId, n.AuthorId)))];
            var rows = await db.Tasks.AsNoTracking().Where(t => t.CaseId == record.Id).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
            comments = [.. rows.Where(t => !string.IsNullOrEmpty(t.Comment))
                .Select(t => new CommentView(t.StepId, t.Jurisdiction, t.CompletedBy, t.Outcome, t.Comment!, CaseViews.Utc(t.CompletedAt)))];
            tasks = [.. rows.Select(t => new CaseTaskView(t.Id, t.StepId, t.Title, t.Jurisdiction, t.Role, t.Status, t.Assignee, CaseViews.Utc(t.DueAt)))];
        }

        var view = new CaseView(
            record.Id,
            record.Reference,
            record.Status,
            record.Stage,
            record.JurisdictionList,
            CaseViews.Utc(record.SubmittedAt),
            null,
            [],
            CaseViews.Requests(instance),
            CaseViews.Decision(instance),
            CaseViews.Timeline(entries, applicantView),
            applicantView ? null : record.RiskLevel,
            applicantView ? null : CaseViews.FiredRules(instance),
            comments,
            tasks,
            notes,
            requests);
        if (stamp is { } read)
        {
            cache.Set((record.Id, audience), read, new KeptCaseView(record, instance, view));
        }

        return Complete(query.User, record, instance, view);
    }

    /// <summary>The kept view with what belongs to this read: the caller's right to it, the filing, the clocks now.</summary>
    private CaseView Complete(CurrentUser user, CaseRecord record, WorkflowInstance instance, CaseView view)
    {
        if (!CaseViews.CanRead(user, record))
        {
            throw new NotFoundException("There is no such case.");
        }

        return view with { Filing = JsonNode.Parse(record.FilingJson), Clocks = CaseViews.Clocks(instance, calendars, time.GetUtcNow()) };
    }
}
