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
        var rows = await cases.OrderByDescending(c => c.SubmittedAt)
            .Skip(Paging.Offset(query.Page, query.PageSize))
            .Take(query.PageSize)
            .ToListAsync(cancellationToken);
        return new CasePage([.. rows.Select(c => CaseViews.Summary(c, user.IsOfficial || user.IsAdmin))], total);
    }
}

/// <summary>Checks paging parameters.</summary>
public static class Paging
{
    /// <summary>Rows to skip, saturating instead of overflowing for absurd page numbers (which give an empty page).</summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min(int.MaxValue, ((long)page - 1) * pageSize);

    public static void Validate(int page, int pageSize, int maxPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (page < 1)
        {
            errors["page"] = ["The page starts at 1."];
        }

        if (pageSize < 1 || pageSize > maxPageSize)
        {
            errors["pageSize"] = [$"The page size must be from 1 to {maxPageSize}."];
        }

        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }
    }
}
