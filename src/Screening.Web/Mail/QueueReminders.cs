using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>
/// The reminders due by the host's clock: to the applicant when an open request's answer is due within 5 days,
/// to officials when a task of their queue (held by them, or open to their role and jurisdiction) is due within
/// 3 days, and when it is overdue. One reminder per item, threshold and recipient, whatever the sweep's rhythm:
/// each has a key, and a key queued once is never queued again. Returns the new mail rows' ids.
/// </summary>
public sealed record QueueReminders : ICommand<IReadOnlyList<Guid>>;

public sealed class QueueRemindersHandler(ScreeningDbContext db, IOptions<MailOptions> options, Workflows.CalendarCache calendars, TimeProvider time)
    : ICommandHandler<QueueReminders, IReadOnlyList<Guid>>
{
    public static readonly TimeSpan RequestNotice = TimeSpan.FromDays(5);
    public static readonly TimeSpan TaskNotice = TimeSpan.FromDays(3);

    public async ValueTask<IReadOnlyList<Guid>> Handle(QueueReminders command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var candidates = new List<(string Key, string Event, string UserId, Guid CaseId, DateTime DueAt, string? Jurisdiction)>();

        var requestHorizon = now + RequestNotice;
        var requests = await (from r in db.InformationRequests.AsNoTracking()
                              join c in db.Cases.AsNoTracking() on r.CaseId equals c.Id
                              where r.Status == RequestStatuses.Open && r.DueAt != null && r.DueAt > now && r.DueAt <= requestHorizon
                              select new { r.Id, r.CaseId, DueAt = r.DueAt!.Value, c.ApplicantId, c.HostJurisdiction }).ToListAsync(cancellationToken);
        candidates.AddRange(requests.Select(r => ($"{MailEvents.RequestDue}:{r.Id}", MailEvents.RequestDue, r.ApplicantId, r.CaseId, r.DueAt, (string?)r.HostJurisdiction)));

        var taskHorizon = now + TaskNotice;
        var tasks = await db.Tasks.AsNoTracking()
            .Where(t => (t.Status == TaskStatuses.Open || t.Status == TaskStatuses.Claimed) && t.DueAt != null && t.DueAt <= taskHorizon)
            .Select(t => new { t.Id, t.CaseId, DueAt = t.DueAt!.Value, t.Assignee, t.Role, t.Jurisdiction })
            .ToListAsync(cancellationToken);
        var queues = new Dictionary<(string, string), List<string>>();
        foreach (var task in tasks)
        {
            var happened = task.DueAt <= now ? MailEvents.TaskOverdue : MailEvents.TaskDue;
            List<string> users;
            if (task.Assignee is { } assignee)
            {
                users = [assignee];
            }
            else if (!queues.TryGetValue((task.Role, task.Jurisdiction), out users!))
            {
                var roleId = await db.Roles.AsNoTracking().Where(r => r.Name == task.Role).Select(r => r.Id).FirstOrDefaultAsync(cancellationToken);
                users = await db.Users.AsNoTracking()
                    .Where(u => u.Jurisdiction == task.Jurisdiction && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == roleId))
                    .Select(u => u.Id).ToListAsync(cancellationToken);
                queues[(task.Role, task.Jurisdiction)] = users;
            }

            candidates.AddRange(users.Select(u => ($"{happened}:{task.Id}:{u}", happened, u, task.CaseId, task.DueAt, (string?)task.Jurisdiction)));
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        var keys = candidates.Select(c => c.Key).ToList();
        var known = (await db.Mail.AsNoTracking().Where(m => keys.Contains(m.Key)).Select(m => m.Key).ToListAsync(cancellationToken)).ToHashSet();
        var fresh = candidates.Where(c => !known.Contains(c.Key)).ToList();
        var userIds = fresh.Select(c => c.UserId).Distinct().ToList();
        var caseIds = fresh.Select(c => c.CaseId).Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
        var cases = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var queued = new List<Guid>();
        foreach (var candidate in fresh)
        {
            if (people.TryGetValue(candidate.UserId, out var user)
                && MailWriter.For(user, candidate.Key, candidate.Event, cases[candidate.CaseId], options.Value, Letters.LocalDates.DueDateIn(calendars, candidate.Jurisdiction, candidate.DueAt), now) is { } mail)
            {
                db.Mail.Add(mail);
                queued.Add(mail.Id);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return queued;
    }
}
