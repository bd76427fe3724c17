using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Mail;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Runs the outbox's jobs as the job server would once the commands committed (the test host runs no job server).</summary>
public static class OutboxSteps
{
    /// <summary>Delivers every undelivered outbox row (notifications, letters, e-mail), then sends the mail that is due.</summary>
    public static async Task DrainAsync(this ScreeningFactory factory)
    {
        var jobs = factory.Services.GetRequiredService<NotificationJobs>();
        for (var round = 0; round < 5; round++)
        {
            var pending = await factory.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => m.DeliveredAt == null).OrderBy(m => m.CreatedAt).Select(m => m.Id).ToListAsync());
            if (pending.Count == 0)
            {
                break;
            }

            foreach (var id in pending)
            {
                await jobs.DeliverAsync(id, CancellationToken.None);
            }
        }

        await factory.Services.GetRequiredService<MailJobs>().SweepAsync(CancellationToken.None);
    }
}
