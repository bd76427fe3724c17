using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Calendars;

/// <summary>How many running cases count a period on the calendar: what a change to its holidays may move.</summary>
public sealed record CountCasesOnCalendar(string Code) : IQuery<int>;

public sealed class CountCasesOnCalendarHandler(ScreeningDbContext db) : IQueryHandler<CountCasesOnCalendar, int>
{
    public async ValueTask<int> Handle(CountCasesOnCalendar query, CancellationToken cancellationToken) =>
        await RecountClocksHandler.RunningOn(db, query.Code).CountAsync(cancellationToken);
}
