using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>Hangfire entry points for notifications.</summary>
public sealed class NotificationJobs(IServiceScopeFactory scopes, TimeProvider time)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> DeliverAsync(Guid outboxId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverNotification(outboxId), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker delivered it at the same moment (unique outbox/user pair): already done.
            return 0;
        }
    }

    /// <summary>Delivers what an enqueue lost.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        List<Guid> pending;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            var before = time.GetUtcNow().UtcDateTime.AddSeconds(-30);
            pending = await db.Outbox.AsNoTracking().Where(m => m.DeliveredAt == null && m.CreatedAt <= before).OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(500).ToListAsync(cancellationToken);
        }

        var delivered = 0;
        foreach (var id in pending)
        {
            delivered += await DeliverAsync(id, cancellationToken) > 0 ? 1 : 0;
        }

        return delivered;
    }
}
