using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Reviews;

public sealed record StageCount(string Stage, int Count);

public sealed record JurisdictionSla(string Jurisdiction, int Completed, int OnTime, double Percent);

public sealed record DashboardView(IReadOnlyList<StageCount> OpenCasesByStage, int TasksDueThisWeek, int OverdueTasks, IReadOnlyList<JurisdictionSla> SlaAdherence);

/// <summary>Figures for officials: open cases per stage (their jurisdiction), tasks due within seven days, SLA adherence per jurisdiction.</summary>
public sealed record GetDashboard(CurrentUser User) : IQuery<DashboardView>;

public sealed class GetDashboardHandler(ScreeningDbContext db, TimeProvider time) : IQueryHandler<GetDashboard, DashboardView>
{
    private static readonly string[] Finished = [CaseStatuses.Decided, CaseStatuses.Withdrawn, CaseStatuses.Closed];

    public async ValueTask<DashboardView> Handle(GetDashboard query, CancellationToken cancellationToken)
    {
        var jurisdiction = query.User.IsAdmin ? null : query.User.Jurisdiction;
        var cases = db.Cases.AsNoTracking().Where(c => !Finished.Contains(c.Status));
        if (jurisdiction is not null)
        {
            cases = cases.Where(c => c.Jurisdictions.Contains(jurisdiction));
        }

        var stages = await cases.GroupBy(c => c.Stage ?? "none").Select(g => new StageCount(g.Key, g.Count())).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var week = now.AddDays(7);
        var tasks = db.Tasks.AsNoTracking().Where(t => t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed);
        if (jurisdiction is not null)
        {
            tasks = tasks.Where(t => t.Jurisdiction == jurisdiction);
        }

        var dueThisWeek = await tasks.CountAsync(t => t.DueAt != null && t.DueAt >= now && t.DueAt <= week, cancellationToken);
        var overdue = await tasks.CountAsync(t => t.DueAt != null && t.DueAt < now, cancellationToken);
        var completed = await db.Tasks.AsNoTracking()
            .Where(t => t.Status == TaskStatuses.Completed && t.DueAt != null && t.CompletedAt != null)
            .GroupBy(t => t.Jurisdiction)
            .Select(g => new { Jurisdiction = g.Key, Completed = g.Count(), OnTime = g.Count(t => t.CompletedAt <= t.DueAt) })
            .ToListAsync(cancellationToken);
        var sla = Jurisdictions.All.Select(j =>
        {
            var row = completed.FirstOrDefault(c => c.Jurisdiction == j);
            return row is null ? new JurisdictionSla(j, 0, 0, 100) : new JurisdictionSla(j, row.Completed, row.OnTime, Math.Round(100.0 * row.OnTime / row.Completed, 1));
        }).ToList();
        return new DashboardView([.. stages.OrderByDescending(s => s.Count)], dueThisWeek, overdue, sla);
    }
}
