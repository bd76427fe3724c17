using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>
/// Turns one outbox row of kind <c>mail</c> into an e-mail per recipient, and marks the row delivered in the same
/// commit: run twice, the second run finds it delivered. Returns the new mail rows' ids, for sending.
/// </summary>
public sealed record QueueMail(Guid OutboxId) : ICommand<IReadOnlyList<Guid>>;

public sealed class QueueMailHandler(ScreeningDbContext db, IOptions<MailOptions> options, Workflows.CalendarCache calendars, TimeProvider time, ILogger<QueueMailHandler> logger)
    : ICommandHandler<QueueMail, IReadOnlyList<Guid>>
{
    public async ValueTask<IReadOnlyList<Guid>> Handle(QueueMail command, CancellationToken cancellationToken)
    {
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == command.OutboxId, cancellationToken);
        if (message is null || message.DeliveredAt is not null || message.DataJson is null || message.CaseId is not { } caseId)
        {
            return [];
        }

        var happened = MailEvent.FromJson(message.DataJson);
        var record = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        var recipients = await Recipients.OfAsync(db, record, happened.Audience, happened.Jurisdiction, cancellationToken);
        DateOnly? date = null;
        if (happened.Event == MailEvents.InformationRequest && happened.ItemId is { } requestId
            && await db.InformationRequests.AsNoTracking().Where(r => r.Id == Guid.Parse(requestId)).Select(r => r.DueAt).FirstOrDefaultAsync(cancellationToken) is { } due)
        {
            date = Letters.LocalDates.DueDateIn(calendars, record.HostJurisdiction, due);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var queued = new List<Guid>();
        foreach (var user in recipients)
        {
            if (MailWriter.For(user, $"{message.Id}:{user.Id}", happened.Event, record, options.Value, date, now) is { } mail)
            {
                db.Mail.Add(mail);
                queued.Add(mail.Id);
            }
        }

        message.DeliveredAt = now;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("E-mail '{Event}' of case {Case} queued for {Count} recipient(s).", happened.Event, record.Reference, queued.Count);
        return queued;
    }
}

/// <summary>Who an e-mail of a case is for: its applicant, or the officials of a role and jurisdiction.</summary>
public static class Recipients
{
    public static async Task<List<ScreeningUser>> OfAsync(ScreeningDbContext db, CaseRecord record, string audience, string? jurisdiction, CancellationToken cancellationToken)
    {
        if (audience == Roles.Applicant)
        {
            return await db.Users.AsNoTracking().Where(u => u.Id == record.ApplicantId).ToListAsync(cancellationToken);
        }

        var roleId = await db.Roles.AsNoTracking().Where(r => r.Name == audience).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
            .Where(u => jurisdiction == null || u.Jurisdiction == jurisdiction)
            .OrderBy(u => u.Id)
            .ToListAsync(cancellationToken);
    }
}
