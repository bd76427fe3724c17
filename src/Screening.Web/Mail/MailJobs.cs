using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>
/// Hangfire entry points for e-mail. Each takes an id or nothing, re-checks the rows and is safe to run twice:
/// a mail row is sent once (<see cref="SendMail"/>), a reminder key queued once (<see cref="QueueReminders"/>).
/// </summary>
public sealed class MailJobs(IServiceScopeFactory scopes, TimeProvider time, ILogger<MailJobs> logger)
{
    /// <summary>Sends one mail row; a failure is kept on the row and tried again by the sweep, after its back-off.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<SendMailResult> SendAsync(Guid mailId, CancellationToken cancellationToken) =>
        (await SendEachOfAsync([mailId], cancellationToken))[0];

    /// <summary>Sends mail rows together, each as <see cref="SendAsync"/> does: one connection and one commit for them all.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SendEachAsync(Guid[] mailIds, CancellationToken cancellationToken) =>
        (await SendEachOfAsync(mailIds, cancellationToken)).Count(r => r == SendMailResult.Sent);

    private async Task<IReadOnlyList<SendMailResult>> SendEachOfAsync(IReadOnlyList<Guid> mailIds, CancellationToken cancellationToken)
    {
        if (mailIds.Count == 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SendMail(mailIds), cancellationToken);
    }

    /// <summary>Sends what is due: new rows whose job was lost, and failed rows whose wait is over. Every minute.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var now = time.GetUtcNow().UtcDateTime;
            due = await scope.ServiceProvider.GetRequiredService<ScreeningDbContext>().Mail.AsNoTracking()
                .Where(m => m.SentAt == null && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt)
                .Select(m => m.Id)
                .Take(200)
                .ToListAsync(cancellationToken);
        }

        return await SendEachAsync([.. due], cancellationToken);
    }

    /// <summary>Queues the reminders the clock has made due, and sends them. Every minute; simulated time is honoured.</summary>
    [AutomaticRetry(Attempts = 0)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task<int> RemindAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> queued;
        await using (var scope = scopes.CreateAsyncScope())
        {
            try
            {
                queued = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new QueueReminders(), cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                // Another node queued the same keys at the same moment: they are queued, once.
                logger.LogDebug(ex, "Reminders raced another sweep.");
                return 0;
            }
        }

        await SendEachAsync([.. queued], cancellationToken);
        return queued.Count;
    }
}
