using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Jobs;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

/// <summary>Whole days, and optionally whole minutes on top (a timer's exact instant is rarely a whole number of days away).</summary>
public sealed record AdvanceBody(double? Days, double? Minutes);

public sealed record ClockView(DateTimeOffset Now, bool Simulated, int TimersFired);

/// <summary>
/// Moves simulated time forward and fires, in order, every timer and deadline that fell due, each at its
/// own instant, exactly as real time would have.
/// </summary>
public sealed record AdvanceClock(string Actor, double? Days, double? Minutes = null) : ICommand<ClockView>;

public sealed class AdvanceClockHandler(IServiceScopeFactory scopes, SimulatedTimeProvider clock, SimulatedClockSync sync, TimerJobs timers, AuditTrail audit, UnitOfWork unitOfWork, ScreeningDbContext db)
    : ICommandHandler<AdvanceClock, ClockView>
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async ValueTask<ClockView> Handle(AdvanceClock command, CancellationToken cancellationToken)
    {
        const int MaxDays = 3660;
        if (command.Days is not { } days || !double.IsInteger(days) || days < 0 || days > MaxDays)
        {
            throw ValidationFailedException.For("$.days", $"Move the clock forward by a whole number of days, at most {MaxDays}.");
        }

        var minutes = command.Minutes ?? 0;
        if (!double.IsInteger(minutes) || minutes < 0 || minutes > MaxDays * 24 * 60)
        {
            throw ValidationFailedException.For("$.minutes", "Minutes are a whole number, 0 or more.");
        }

        var by = TimeSpan.FromDays(days) + TimeSpan.FromMinutes(minutes);
        if (by <= TimeSpan.Zero || by > TimeSpan.FromDays(MaxDays))
        {
            throw ValidationFailedException.For("$.days", $"Move the clock forward by more than 0 and at most {MaxDays} days.");
        }

        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            // From the deployment's time: another node may have moved it since this one last looked.
            await sync.RefreshAsync(db, cancellationToken);
            var target = clock.GetUtcNow() + by;
            var fired = 0;
            while (true)
            {
                Guid? next;
                DateTime due;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var scoped = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
                    var targetUtc = target.UtcDateTime;
                    var row = await scoped.Timers.AsNoTracking()
                        .Where(t => t.State == TimerStates.Pending && t.DueAt <= targetUtc)
                        .OrderBy(t => t.DueAt)
                        .Select(t => new { t.Id, t.DueAt })
                        .FirstOrDefaultAsync(cancellationToken);
                    next = row?.Id;
                    due = row?.DueAt ?? default;
                }

                if (next is null)
                {
                    break;
                }

                clock.MoveTo(new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)));
                var result = await timers.FireAsync(next.Value, cancellationToken);
                fired += result == FireTimerResult.Fired ? 1 : 0;
            }

            clock.MoveTo(target);
            // The row is made at start-up. Moved only forward, in one statement: nodes of a deployment moving time at
            // once both succeed, and the one that moved it further keeps its move.
            var ticks = clock.Offset.Ticks;
            await db.SimulatedClock.Where(c => c.Id == 1 && c.OffsetTicks < ticks)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.OffsetTicks, ticks), cancellationToken);
            audit.Record(command.Actor, "clock.advanced", null, new { days, minutes, now = target, timersFired = fired });
            await unitOfWork.CommitAsync(cancellationToken);
            return new ClockView(clock.GetUtcNow(), true, fired);
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
