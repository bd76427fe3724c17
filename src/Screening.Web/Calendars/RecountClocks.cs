using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Calendars;

/// <summary>
/// After a calendar changed, every running clock that counts on it takes the change: its last day is counted
/// again, its expiry rescheduled, and each case whose last day moved records the move (before and after) in its
/// own audit trail. An expiry that already took effect stays; a last day moved into the past expires at once.
/// </summary>
public sealed record RecountClocks(string Actor, string CalendarCode) : ICommand<int>;

public sealed class RecountClocksHandler(ScreeningDbContext db, IServiceScopeFactory scopes) : ICommandHandler<RecountClocks, int>
{
    /// <summary>The running cases whose instance names the calendar: a clock's calendar is in the instance document, so this narrows by text; the engine decides.</summary>
    public static IQueryable<Guid> RunningOn(ScreeningDbContext db, string calendarCode)
    {
        var marker = $"\"calendar\":\"{calendarCode}\"";
        return db.Instances.AsNoTracking().Where(i => i.Status != "finished" && i.StateJson.Contains(marker)).Select(i => i.Id);
    }

    public async ValueTask<int> Handle(RecountClocks command, CancellationToken cancellationToken)
    {
        var candidates = await RunningOn(db, command.CalendarCode).ToListAsync(cancellationToken);
        var moved = 0;
        foreach (var caseId in candidates)
        {
            if (await RecountAsync(command, caseId, cancellationToken))
            {
                moved++;
            }
        }

        return moved;
    }

    /// <summary>One command per case, in its own scope and transaction like any other; a race with another command on the case is run again.</summary>
    private async Task<bool> RecountAsync(RecountClocks command, Guid caseId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var cases = scope.ServiceProvider.GetRequiredService<CaseCommands>();
            var recount = new CaseCommand(command.Actor, "calendar.clocks-recounted")
            {
                Data = new { calendar = command.CalendarCode },
                Tolerated = new HashSet<Screening.Workflows.Runtime.ResumeStatus> { Screening.Workflows.Runtime.ResumeStatus.AlreadyResumed },
            };
            try
            {
                var done = await cases.RunAsync(caseId, recount, loaded => loaded.Runner.RecountClocks(loaded.Definition, loaded.Instance, command.CalendarCode), cancellationToken);
                return done is { Result.Succeeded: true };
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
            }
        }
    }
}
