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
    public async Task<SendMailResult> SendAsync(Guid mailId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new SendMail(mailId), cancellationToken);
    }

    /// <summary>Sends the mail rows one outbox row queued, each as <see cref="SendAsync"/> does: one job for them all.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> SendEachAsync(Guid[] mailIds, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var id in mailIds)
        {
            sent += await SendAsync(id, cancellationToken) == SendMailResult.Sent ? 1 : 0;
        }

        return sent;
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

        var sent = 0;
        foreach (var id in due)
        {
            sent += await SendAsync(id, cancellationToken) == SendMailResult.Sent ? 1 : 0;
        }

        return sent;
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

        foreach (var id in queued)
        {
            await SendAsync(id, cancellationToken);
        }

        return queued.Count;
    }
}
