using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Hangfire entry points for the outbox: each row is delivered as what it asks for (an in-app notification,
/// the letters of an act, e-mail), once; a run that finds its row delivered does nothing.
/// </summary>
public sealed class NotificationJobs(IServiceScopeFactory scopes, TimeProvider time)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> DeliverAsync(Guid outboxId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
            var kind = await scope.ServiceProvider.GetRequiredService<ScreeningDbContext>().Outbox.AsNoTracking()
                .Where(m => m.Id == outboxId).Select(m => m.Kind).FirstOrDefaultAsync(cancellationToken);
            switch (kind)
            {
                case OutboxKinds.Letter:
                    return await mediator.Send(new Letters.MakeLetters(outboxId), cancellationToken);
                case OutboxKinds.Mail:
                    var queued = await mediator.Send(new Mail.QueueMail(outboxId), cancellationToken);
                    if (queued.Count > 0 && scope.ServiceProvider.GetService<IBackgroundJobClient>() is { } client)
                    {
                        // One job for the row's mail: each enqueue is a transaction of the job storage.
                        var ids = queued.ToArray();
                        client.Enqueue<Mail.MailJobs>(j => j.SendEachAsync(ids, CancellationToken.None));
                    }

                    return queued.Count;
                default:
                    return await mediator.Send(new DeliverNotification(outboxId), cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // Another worker delivered it at the same moment (a unique outbox/user pair, letter, mail key): already done.
            return 0;
        }
    }

    /// <summary>
    /// Delivers the outbox rows of one committed batch of commands, each as <see cref="DeliverAsync"/> does: one job
    /// for a batch instead of one per row, so the job storage is written once per COMMIT, not once per row.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> DeliverEachAsync(Guid[] outboxIds, CancellationToken cancellationToken)
    {
        var delivered = 0;
        foreach (var id in outboxIds)
        {
            delivered += await DeliverAsync(id, cancellationToken);
        }

        return delivered;
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
