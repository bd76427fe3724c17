using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Cases;

public sealed record CasePage(IReadOnlyList<CaseSummary> Items, int Total);

/// <summary>The caller's cases, newest first: an applicant's own, an official's jurisdiction's, an admin's all.</summary>
public sealed record ListCases(CurrentUser User, int Page, int PageSize) : IQuery<CasePage>;

public sealed class ListCasesHandler(ScreeningDbContext db) : IQueryHandler<ListCases, CasePage>
{
    public const int MaxPageSize = 100;

    public async ValueTask<CasePage> Handle(ListCases query, CancellationToken cancellationToken)
    {
        Paging.Validate(query.Page, query.PageSize, MaxPageSize);
        var user = query.User;
        var cases = db.Cases.AsNoTracking();
        if (!user.IsAdmin)
        {
            if (user.IsOfficial && user.Jurisdiction is { } jurisdiction)
            {
                cases = cases.Where(c => c.Jurisdictions.Contains(jurisdiction));
            }
            else
            {
                cases = cases.Where(c => c.ApplicantId == user.Id);
            }
        }

        var total = await cases.CountAsync(cancellationToken);
        // The id breaks ties (cases filed in one instant): without it PostgreSQL may order them differently on
        // each query, and pages would overlap.
        var rows = await cases.OrderByDescending(c => c.SubmittedAt).ThenByDescending(c => c.Id)
            .Skip(Paging.Offset(query.Page, query.PageSize))
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new CasePage([.. rows.Select(c => CaseViews.Summary(c, user.IsOfficial || user.IsAdmin))], total);
    }
}
