using Screening.Workflows.Runtime;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>Delivers one outbox message: logs it and files it in the recipients' in-app notifications. Once.</summary>
public sealed record DeliverNotification(Guid OutboxId) : ICommand<int>;

public sealed class DeliverNotificationHandler(ScreeningDbContext db, TimeProvider time, ILogger<DeliverNotificationHandler> logger)
    : ICommandHandler<DeliverNotification, int>
{
    public async ValueTask<int> Handle(DeliverNotification command, CancellationToken cancellationToken)
    {
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == command.OutboxId, cancellationToken);
        if (message is null || message.DeliveredAt is not null)
        {
            return 0;
        }

        List<string> recipients;
        if (message.Audience == Roles.Applicant)
        {
            recipients = await db.Cases.Where(c => c.Id == message.CaseId).Select(c => c.ApplicantId).ToListAsync(cancellationToken);
        }
        else
        {
            var roleId = await db.Roles.Where(r => r.Name == message.Audience).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
            recipients = await db.Users
                .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
                .Where(u => message.Jurisdiction == null || u.Jurisdiction == message.Jurisdiction)
                .Select(u => u.Id)
                .ToListAsync(cancellationToken);
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var userId in recipients)
        {
            db.Notifications.Add(new UserNotification
            {
                Id = SortableIds.New(time.GetUtcNow()),
                UserId = userId,
                OutboxId = message.Id,
                CaseId = message.CaseId,
                Subject = message.Subject,
                Body = message.Body,
                CreatedAt = now,
            });
        }

        message.DeliveredAt = now;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Notification '{Subject}' delivered to {Count} {Audience} user(s){Jurisdiction}.",
            message.Subject, recipients.Count, message.Audience, message.Jurisdiction is null ? string.Empty : " of " + message.Jurisdiction);
        return recipients.Count;
    }
}
