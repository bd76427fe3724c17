using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Hangfire entry points for the outbox: each row is delivered as what it asks for (an in-app notification,
/// the letters of an act, e-mail), once; a run that finds its row delivered does nothing.
/// </summary>
public sealed class NotificationJobs(IServiceScopeFactory scopes, TimeProvider time, ILogger<NotificationJobs> logger)
{
    /// <summary>Delivers one row; returns the recipients reached, or the letters made.</summary>
    [AutomaticRetry(Attempts = 5)]
    public Task<int> DeliverAsync(Guid outboxId, CancellationToken cancellationToken) => DeliverEachAsync([outboxId], cancellationToken);

    /// <summary>
    /// Delivers outbox rows together (those of one or more committed batches of commands): the notifications and
    /// e-mail of all of them in one commit, then their e-mail sent over one connection, and each act's letters.
    /// Rows delivered meanwhile by another worker are skipped; a collision with one delivering the same rows at the
    /// same moment is settled a row at a time.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> DeliverEachAsync(Guid[] outboxIds, CancellationToken cancellationToken)
    {
        if (outboxIds.Length == 0)
        {
            return 0;
        }

        List<Guid> letters;
        await using (var scope = scopes.CreateAsyncScope())
        {
            letters = await scope.ServiceProvider.GetRequiredService<ScreeningDbContext>().Outbox.AsNoTracking()
                .Where(m => outboxIds.Contains(m.Id) && m.DeliveredAt == null && m.Kind == OutboxKinds.Letter)
                .OrderBy(m => m.CreatedAt).Select(m => m.Id).ToListAsync(cancellationToken);
        }

        var (reached, mail) = await DeliverTogetherAsync(outboxIds, cancellationToken);
        if (mail.Count > 0)
        {
            // Sent here rather than by a job of their own; a crash first leaves them to the mail sweep.
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Mail.MailJobs>().SendEachAsync([.. mail], cancellationToken);
        }

        // One act whose letters cannot be made holds up no other: the rest are made, and then the run fails, to be tried again.
        var failures = new List<Exception>();
        foreach (var id in letters)
        {
            try
            {
                reached += await MakeLettersAsync(id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "The letters of outbox row {OutboxId} could not be made; they will be tried again.", id);
                failures.Add(ex);
            }
        }

        return failures.Count == 0 ? reached : throw new AggregateException("The letters of some outbox rows could not be made.", failures);
    }

    private async Task<(int Reached, List<Guid> Mail)> DeliverTogetherAsync(Guid[] outboxIds, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var delivered = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DeliverOutbox(outboxIds), cancellationToken);
            return (delivered.Reached, [.. delivered.Mail]);
        }
        catch (DbUpdateException) when (outboxIds.Length > 1)
        {
            // Another worker delivered some of them at the same moment: the rest a row at a time.
            logger.LogDebug("Outbox rows raced another delivery; delivering {Count} row(s) one at a time.", outboxIds.Length);
            var reached = 0;
            var mail = new List<Guid>();
            foreach (var id in outboxIds)
            {
                var (one, queued) = await DeliverTogetherAsync([id], cancellationToken);
                reached += one;
                mail.AddRange(queued);
            }

            return (reached, mail);
        }
        catch (DbUpdateException)
        {
            // Another worker delivered it at the same moment (a unique outbox/user pair or mail key): already done.
            return (0, []);
        }
    }

    private async Task<int> MakeLettersAsync(Guid outboxId, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Letters.MakeLetters(outboxId), cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another worker made them at the same moment (one letter per case, act and language): already done.
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

        await DeliverEachAsync([.. pending], cancellationToken);
        return pending.Count;
    }
}
