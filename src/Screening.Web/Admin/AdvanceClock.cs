using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Jobs;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

public sealed record AdvanceBody(double? Days);

public sealed record ClockView(DateTimeOffset Now, bool Simulated, int TimersFired);

public sealed record RoleBody(string? Role, string? Jurisdiction);

public sealed record RetryResult(string InstanceStatus);

/// <summary>
/// Moves simulated time forward and fires, in order, every timer and deadline that fell due, each at its
/// own instant, exactly as real time would have.
/// </summary>
public sealed record AdvanceClock(string Actor, double? Days) : ICommand<ClockView>;

public sealed class AdvanceClockHandler(IServiceScopeFactory scopes, SimulatedTimeProvider clock, TimerJobs timers, AuditTrail audit, UnitOfWork unitOfWork, ScreeningDbContext db)
    : ICommandHandler<AdvanceClock, ClockView>
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public async ValueTask<ClockView> Handle(AdvanceClock command, CancellationToken cancellationToken)
    {
        if (command.Days is not { } days || double.IsNaN(days) || days <= 0 || days > 3660)
        {
            throw ValidationFailedException.For("$.days", "Move the clock forward by more than 0 and at most 3660 days.");
        }

        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            var target = clock.GetUtcNow() + TimeSpan.FromDays(days);
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
            var stored = await db.SimulatedClock.FirstOrDefaultAsync(c => c.Id == 1, cancellationToken);
            if (stored is null)
            {
                db.SimulatedClock.Add(new SimulatedClockRecord { Id = 1, OffsetTicks = clock.Offset.Ticks });
            }
            else
            {
                stored.OffsetTicks = clock.Offset.Ticks;
            }

            audit.Record(command.Actor, "clock.advanced", null, new { days, now = target, timersFired = fired });
            await unitOfWork.CommitAsync(cancellationToken);
            return new ClockView(clock.GetUtcNow(), true, fired);
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}

public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes, bool simulatedClock)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(Policies.Admin);
        if (simulatedClock)
        {
            group.MapPost("/clock/advance", async Task<Ok<ClockView>> (AdvanceBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new AdvanceClock(CurrentUser.From(context.User).Id, body.Days), cancellationToken)));
        }

        group.MapGet("/clock", Ok<ClockView> (TimeProvider time) => TypedResults.Ok(new ClockView(time.GetUtcNow(), simulatedClock, 0)));

        group.MapGet("/consistency", async Task<Ok<ConsistencyReport>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new CheckConsistency(), cancellationToken)));
        group.MapPost("/backup", async Task<Ok<BackupResult>> (HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new BackupDatabases(CurrentUser.From(context.User).Id), cancellationToken)));

        group.MapGet("/users", async Task<Ok<IReadOnlyList<UserView>>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListUsers(), cancellationToken)));
        group.MapPost("/users", async Task<Created<UserView>> (OfficialBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var user = await mediator.Send(new CreateOfficial(CurrentUser.From(context.User).Id, body), cancellationToken);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        });
        group.MapPut("/users/{id}/role", async Task<Ok<UserView>> (string id, RoleBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new SetUserRole(CurrentUser.From(context.User).Id, id, body.Role, body.Jurisdiction), cancellationToken)));
        group.MapPost("/users/{id}/lock", async Task<Ok<UserView>> (string id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new LockUser(CurrentUser.From(context.User).Id, id, true), cancellationToken)));
        group.MapPost("/users/{id}/unlock", async Task<Ok<UserView>> (string id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new LockUser(CurrentUser.From(context.User).Id, id, false), cancellationToken)));

        group.MapGet("/incidents", async Task<Ok<IReadOnlyList<IncidentView>>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListIncidents(), cancellationToken)));
        group.MapPost("/incidents/{caseId:guid}/{incidentId}/retry", async Task<Ok<RetryResult>> (Guid caseId, string incidentId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(new RetryResult(await mediator.Send(new RetryIncident(CurrentUser.From(context.User).Id, caseId, incidentId), cancellationToken))));
        return group;
    }
}
