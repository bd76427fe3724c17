using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Reviews;
using Screening.Web.Workflows;
using Screening.Workflows.Calendars;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

/// <summary>One case as the caller may see it; 404 when it does not exist or is not theirs.</summary>
public sealed record GetCase(CurrentUser User, Guid CaseId) : IQuery<CaseView>;

/// <summary>The same view as the API sends it: JSON with the API's serializer settings.</summary>
public sealed record GetCaseJson(CurrentUser User, Guid CaseId) : IQuery<byte[]>;

/// <summary>A built case view for one audience, without what belongs to the moment of reading (filing document, clocks).</summary>
public sealed record KeptCaseView(CaseRecord Record, WorkflowInstance Instance, CaseView View)
{
    /// <summary>The complete view as JSON, while it still reads true (replaced whole, never changed).</summary>
    public RenderedCaseView? Rendered { get; set; }
}

/// <summary>
/// A complete view as JSON and what its clocks were computed from: each clock's calendar (the cache's
/// instance, replaced when an administrator edits it) and that calendar's date. Same calendars, same dates:
/// same clocks, same JSON.
/// </summary>
public sealed record RenderedCaseView(BusinessCalendar?[] Calendars, DateOnly[] Days, byte[] Json)
{
    public static (BusinessCalendar?[] Calendars, DateOnly[] Days) ClocksAt(WorkflowInstance instance, CalendarCache calendars, DateTimeOffset now)
    {
        var used = instance.Clocks.Select(c => calendars.Find(c.Calendar)).ToArray();
        return (used, [.. used.Select(c => c?.DateOf(now) ?? DateOnly.MinValue)]);
    }

    public bool Reads(BusinessCalendar?[] calendars, DateOnly[] days) =>
        calendars.Length == Calendars.Length && calendars.All(c => c is not null)
        && calendars.Zip(Calendars).All(p => ReferenceEquals(p.First, p.Second)) && days.SequenceEqual(Days);
}

/// <summary>
/// Builds the view from the case, its instance, audit trail and rows, and keeps it per audience under the
/// case's last audit entry (<see cref="StampedCache{TKey, TValue}"/>, decision 0010): a case read again
/// unchanged is served from memory, its stamp known from this process's own commits on SQLite and read by
/// one indexed lookup elsewhere. The caller's right to the case is checked on every read.
/// </summary>
public sealed class GetCaseHandler(
    ScreeningDbContext db,
    CalendarCache calendars,
    DefinitionCatalog catalog,
    StampedCache<(Guid, string), KeptCaseView> cache,
    ChangeStamps stamps,
    IOptions<JsonOptions> json,
    TimeProvider time)
    : IQueryHandler<GetCase, CaseView>, IQueryHandler<GetCaseJson, byte[]>
{
    public const int Kept = 1_000;

    private static readonly Func<ScreeningDbContext, Guid, Task<long?>> LastChange =
        EF.CompileAsyncQuery((ScreeningDbContext db, Guid caseId) => db.Audit.Where(a => a.CaseId == caseId).Max(a => (long?)a.Seq));

    public async ValueTask<CaseView> Handle(GetCase query, CancellationToken cancellationToken)
    {
        var kept = await KeptAsync(query.User, query.CaseId, cancellationToken);
        return Complete(kept, time.GetUtcNow());
    }

    /// <summary>The JSON of a kept view is kept too, and served again while its clocks read the same.</summary>
    public async ValueTask<byte[]> Handle(GetCaseJson query, CancellationToken cancellationToken)
    {
        var kept = await KeptAsync(query.User, query.CaseId, cancellationToken);
        var now = time.GetUtcNow();
        var (used, days) = RenderedCaseView.ClocksAt(kept.Instance, calendars, now);
        if (kept.Rendered is { } rendered && rendered.Reads(used, days))
        {
            return rendered.Json;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(Complete(kept, now), json.Value.SerializerOptions);
        kept.Rendered = new RenderedCaseView(used, days, bytes);
        return bytes;
    }

    /// <summary>The kept view for the caller's audience, current by the case's stamp; built and kept when not.</summary>
    private async Task<KeptCaseView> KeptAsync(CurrentUser user, Guid caseId, CancellationToken cancellationToken)
    {
        var applicantView = !user.IsOfficial && !user.IsAdmin;
        var audience = applicantView ? "applicant" : $"{(user.IsAdmin ? "admin" : "official")}:{user.Jurisdiction}";
        var stamp = await stamps.CaseAsync(caseId, () => LastChange(db, caseId));
        if (stamp is { } current && cache.Get((caseId, audience), current) is { } kept)
        {
            return CanRead(user, kept);
        }

        var record = await CaseViews.ReadableAsync(db, user, caseId, cancellationToken);

        var state = await db.Instances.AsNoTracking().Where(i => i.Id == record.Id).Select(i => i.StateJson).FirstAsync(cancellationToken);
        var instance = WorkflowInstanceSerializer.Deserialize(state);
        var entries = await db.Audit.AsNoTracking().Where(a => a.CaseId == record.Id).OrderBy(a => a.Seq).ToListAsync(cancellationToken);
        var bindings = await catalog.GetAsync(db, instance.DefinitionKey, instance.DefinitionVersion, cancellationToken) is { } definition ? CaseBindings.Of(definition) : null;

        IReadOnlyList<CommentView>? comments = null;
        IReadOnlyList<CaseTaskView>? tasks = null;
        IReadOnlyList<NoteView>? notes = null;
        IReadOnlyList<RequestHistoryView>? requests = null;
        if (!applicantView)
        {
            var answered = (await db.Documents.AsNoTracking().Where(d => d.CaseId == record.Id && d.RequestId != null).OrderBy(d => d.UploadedAt).ThenBy(d => d.Id)
                .Select(d => new { d.Id, d.RequestId }).ToListAsync(cancellationToken)).ToLookup(d => d.RequestId!.Value, d => d.Id);
            requests = [.. (await db.InformationRequests.AsNoTracking().Where(r => r.CaseId == record.Id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken))
                .Select(r => new RequestHistoryView(r.Id, r.Question, r.Status, r.Answer, CaseViews.Utc(r.DueAt), CaseViews.Utc(r.CreatedAt), r.RequestedBy) { DocumentIds = [.. answered[r.Id]] })];
            var visible = await Notes.VisibleTo(db.Notes.AsNoTracking().Where(n => n.CaseId == record.Id), user).OrderBy(n => n.At).ThenBy(n => n.Id).ToListAsync(cancellationToken);
            var authors = await db.Users.AsNoTracking().Where(u => visible.Select(n => n.AuthorId).Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, cancellationToken);
            notes = [.. visible.Select(n => Notes.View(n, authors.GetValueOrDefault(n.AuthorId, n.AuthorId)))];
            var rows = await db.Tasks.AsNoTracking().Where(t => t.CaseId == record.Id).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync(cancellationToken);
            comments = [.. rows.Where(t => !string.IsNullOrEmpty(t.Comment))
                .Select(t => new CommentView(t.StepId, t.Jurisdiction, t.CompletedBy, t.Outcome, t.Comment!, CaseViews.Utc(t.CompletedAt)) { Texts = TaskTexts.Read(t.TextsJson) })];
            tasks = [.. rows.Select(t => new CaseTaskView(t.Id, t.StepId, t.Title, t.Jurisdiction, t.Role, t.Status, t.Assignee, CaseViews.Utc(t.DueAt)) { Texts = TaskTexts.Read(t.TextsJson) })];
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
            CaseViews.Timeline(entries, applicantView, jointDecisions: instance.Decisions.Count > 1),
            applicantView ? null : record.RiskLevel,
            applicantView ? null : CaseViews.FiredRules(bindings?.FiredRules(instance)),
            comments,
            tasks,
            notes,
            requests)
        {
            Decisions = CaseViews.Decisions(instance),
            FilingKind = bindings?.Text(instance, CaseBindings.FilingKindName),
            ReservedActivity = bindings?.Flag(instance, CaseBindings.ReservedActivityName) ?? false,
        };
        var built = new KeptCaseView(record, instance, view);
        if (stamp is { } read)
        {
            cache.Set((record.Id, audience), read, built);
        }

        return built;
    }

    /// <summary>The caller's right to the case is checked on every read, kept view or not.</summary>
    private static KeptCaseView CanRead(CurrentUser user, KeptCaseView kept) =>
        CaseViews.CanRead(user, kept.Record) ? kept : throw new NotFoundException("There is no such case.");

    /// <summary>The kept view with what belongs to this read: the filing and the clocks now.</summary>
    private CaseView Complete(KeptCaseView kept, DateTimeOffset now) =>
        kept.View with { Filing = JsonNode.Parse(kept.Record.FilingJson), Clocks = CaseViews.Clocks(kept.Instance, calendars, now, official: kept.View.Tasks is not null) };
}
