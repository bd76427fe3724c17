using System.Text.Json;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Audit;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Reviews;

/// <summary>
/// An official's queue, soonest due first: <c>available</c> is the open tasks of the caller's role and
/// jurisdiction that four eyes does not keep from them; <c>mine</c> is what they hold.
/// </summary>
public sealed record ListTasks(CurrentUser User, string Scope, Guid? CaseId, int Page, int PageSize) : IQuery<IReadOnlyList<TaskView>>;

/// <summary>Who asks (with the roles and jurisdiction their token carries) for which page: four eyes makes a queue personal.</summary>
public sealed record TaskQueueKey(string UserId, string Roles, string? Jurisdiction, string Scope, Guid? CaseId, int Page, int PageSize);

/// <summary>The same page as the API sends it: JSON with the API's serializer settings.</summary>
public sealed record ListTasksJson(ListTasks Query) : IQuery<byte[]>;

/// <summary>A page of a queue and the first instant at which one of its tasks becomes overdue (its flags change).</summary>
public sealed record KeptQueue(IReadOnlyList<TaskView> Tasks, DateTimeOffset ValidUntil)
{
    /// <summary>The page as JSON, once asked for (set whole, never changed).</summary>
    public byte[]? Json { get; set; }
}

/// <summary>
/// Reads the page from the queue index and keeps it under the last audit entry of the whole database (every
/// task change is audited; so are changes to a user's roles): while nothing changes and no task on the page
/// falls overdue, a queue read again is served from memory (decision 0010), its JSON too.
/// </summary>
public sealed class ListTasksHandler(ScreeningDbContext db, StampedCache<TaskQueueKey, KeptQueue> cache, ChangeStamps stamps, IOptions<JsonOptions> json, TimeProvider time)
    : IQueryHandler<ListTasks, IReadOnlyList<TaskView>>, IQueryHandler<ListTasksJson, byte[]>
{
    public const int MaxPageSize = 500;

    public const int Kept = 1_000;

    private static readonly Func<ScreeningDbContext, Task<long?>> LastChange =
        EF.CompileAsyncQuery((ScreeningDbContext db) => db.Audit.Max(a => (long?)a.Seq));

    /// <summary>A task of a page with the few fields of its case the queue shows, read in the same statement.</summary>
    private sealed record QueueRow(ReviewTask Task, Guid? CaseId, string? Investor, string? Target, string? Stage, DateTime? SubmittedAt);

    // Compiled: a queue is read on every change of it, and most of an uncompiled read's cost is EF Core's. A null case
    // id drops its condition from the SQL (the parameter's nullability is part of the cached statement).
    private static readonly Func<ScreeningDbContext, string, Guid?, int, int, IAsyncEnumerable<QueueRow>> MinePage = EF.CompileAsyncQuery(
        (ScreeningDbContext db, string userId, Guid? caseId, int skip, int take) =>
            (from t in db.Tasks.AsNoTracking()
             where t.Assignee == userId && t.Status == TaskStatuses.Claimed && (caseId == null || t.CaseId == caseId)
             join c in db.Cases on t.CaseId equals c.Id into found
             from c in found.DefaultIfEmpty()
             orderby t.QueueOrder, t.CreatedAt, t.Id
             select new QueueRow(t, (Guid?)c.Id, c.InvestorName, c.TargetName, c.Stage, (DateTime?)c.SubmittedAt)).Skip(skip).Take(take));

    private static readonly Func<ScreeningDbContext, string?, List<string>, string, Guid?, int, int, IAsyncEnumerable<QueueRow>> AvailablePage = EF.CompileAsyncQuery(
        (ScreeningDbContext db, string? jurisdiction, List<string> roles, string excluded, Guid? caseId, int skip, int take) =>
            (from t in db.Tasks.AsNoTracking()
             where t.Status == TaskStatuses.Open && t.Jurisdiction == jurisdiction && roles.Contains(t.Role) && !t.ExcludedActorsJson.Contains(excluded)
                 && (caseId == null || t.CaseId == caseId)
             join c in db.Cases on t.CaseId equals c.Id into found
             from c in found.DefaultIfEmpty()
             orderby t.QueueOrder, t.CreatedAt, t.Id
             select new QueueRow(t, (Guid?)c.Id, c.InvestorName, c.TargetName, c.Stage, (DateTime?)c.SubmittedAt)).Skip(skip).Take(take));

    public async ValueTask<IReadOnlyList<TaskView>> Handle(ListTasks query, CancellationToken cancellationToken) =>
        (await PageAsync(query, cancellationToken)).Tasks;

    public async ValueTask<byte[]> Handle(ListTasksJson query, CancellationToken cancellationToken)
    {
        var page = await PageAsync(query.Query, cancellationToken);
        return page.Json ??= JsonSerializer.SerializeToUtf8Bytes(page.Tasks, json.Value.SerializerOptions);
    }

    /// <summary>The kept page when nothing changed and nothing on it fell overdue; read and kept otherwise.</summary>
    private async Task<KeptQueue> PageAsync(ListTasks query, CancellationToken cancellationToken)
    {
        if (query.Scope is not ("available" or "mine"))
        {
            throw ValidationFailedException.For("scope", "The scope is 'available' or 'mine'.");
        }

        Paging.Validate(query.Page, query.PageSize, MaxPageSize);
        var user = query.User;
        var key = new TaskQueueKey(user.Id, string.Join(',', user.Roles.Order(StringComparer.Ordinal)), user.Jurisdiction, query.Scope, query.CaseId, query.Page, query.PageSize);
        var stamp = await stamps.TrailAsync(() => LastChange(db));
        var now = time.GetUtcNow();
        if (stamp is { } current && cache.Get(key, current) is { } kept && now < kept.ValidUntil)
        {
            return kept;
        }

        var views = await ReadAsync(db, query, now, cancellationToken);
        var flips = views.Where(v => !v.Overdue && v.DueAt > now && v.Status is TaskStatuses.Open or TaskStatuses.Claimed).Select(v => v.DueAt!.Value);
        var page = new KeptQueue(views, flips.DefaultIfEmpty(DateTimeOffset.MaxValue).Min());
        if (stamp is { } read)
        {
            cache.Set(key, read, page);
        }

        return page;
    }

    /// <summary>The page from the queue index, without the kept pages (what a read costs when something changed).</summary>
    public static async Task<IReadOnlyList<TaskView>> ReadAsync(ScreeningDbContext db, ListTasks query, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var user = query.User;
        var skip = Paging.Offset(query.Page, query.PageSize);
        var rows = query.Scope == "mine"
            ? MinePage(db, user.Id, query.CaseId, skip, query.PageSize)
            : AvailablePage(db, user.Jurisdiction, [.. user.Roles], $"\"{user.Id}\"", query.CaseId, skip, query.PageSize);
        var views = new List<TaskView>(query.PageSize);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            views.Add(TaskViews.From(row.Task, now) with
            {
                Case = row.CaseId is null ? null : new TaskCase(row.Investor!, row.Target!, row.Stage, CaseViews.Utc(row.SubmittedAt!.Value)),
            });
        }

        return views;
    }
}
