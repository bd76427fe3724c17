using Screening.Workflows.Runtime;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Identity;
using Screening.Web.Mail;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Jobs;

/// <summary>
/// Delivers outbox rows of kind <c>notification</c> and <c>mail</c> together, in one commit: each notification filed
/// in its recipients' in-app notifications, each e-mail queued once per recipient, every row marked delivered.
/// Rows found delivered are left alone, so a run twice delivers nothing twice; two runs side by side collide on the
/// unique (outbox row, user) and mail keys, or on the mark of a row already delivered (<see cref="OutboxMarks"/>), and
/// the second commits nothing. Letters are not delivered here: each act's letters have files of their own
/// (<see cref="Letters.MakeLetters"/>).
/// </summary>
/// <returns>Recipients reached (notifications filed plus e-mail queued) and the new mail rows, for sending.</returns>
public sealed record DeliverOutbox(IReadOnlyList<Guid> OutboxIds) : ICommand<DeliveredOutbox>;

/// <param name="Reached">Notifications filed plus e-mail queued.</param>
/// <param name="Mail">The mail rows queued, to be sent once committed.</param>
public sealed record DeliveredOutbox(int Reached, IReadOnlyList<Guid> Mail);

public sealed class DeliverOutboxHandler(ScreeningDbContext db, UnitOfWork unitOfWork, IOptions<MailOptions> mailOptions, CalendarCache calendars, TimeProvider time, ILogger<DeliverOutboxHandler> logger)
    : ICommandHandler<DeliverOutbox, DeliveredOutbox>
{
    public async ValueTask<DeliveredOutbox> Handle(DeliverOutbox command, CancellationToken cancellationToken)
    {
        var ids = command.OutboxIds.Distinct().ToList();
        // Untracked: the rows delivered are marked by one statement at the commit.
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.DeliveredAt == null && m.Kind != OutboxKinds.Letter)
            .OrderBy(m => m.CreatedAt)
            .ToListAsync(cancellationToken);
        if (messages.Count == 0)
        {
            return new DeliveredOutbox(0, []);
        }

        var caseIds = messages.Where(m => m.CaseId is not null).Select(m => m.CaseId!.Value).Distinct().ToList();
        var cases = await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var recipients = new RecipientLists(db);
        var now = time.GetUtcNow().UtcDateTime;
        var reached = 0;
        var mail = new List<Guid>();
        var delivered = new List<Guid>();
        foreach (var message in messages)
        {
            var record = message.CaseId is { } caseId ? cases.GetValueOrDefault(caseId) : null;
            if (message.Kind == OutboxKinds.Mail)
            {
                // A mail row always names its case and event; one that does not is left for a look, as before.
                if (message.DataJson is null || record is null)
                {
                    continue;
                }

                var queued = await QueueAsync(message, record, recipients, now, cancellationToken);
                mail.AddRange(queued);
                reached += queued.Count;
                logger.LogInformation("E-mail of case {Case} queued for {Count} recipient(s).", record.Reference, queued.Count);
            }
            else
            {
                var users = message.Audience == Roles.Applicant
                    ? record is null ? [] : [record.ApplicantId]
                    : (await recipients.OfAsync(message.Audience, message.Jurisdiction, cancellationToken)).Select(u => u.Id).ToList();
                foreach (var userId in users)
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

                reached += users.Count;
                logger.LogInformation("Notification '{Subject}' delivered to {Count} {Audience} user(s){Jurisdiction}.",
                    message.Subject, users.Count, message.Audience, message.Jurisdiction is null ? string.Empty : " of " + message.Jurisdiction);
            }

            delivered.Add(message.Id);
        }

        OutboxMarks.MarkDelivered(unitOfWork, delivered, now);
        await unitOfWork.CommitAsync(CancellationToken.None);
        return new DeliveredOutbox(reached, mail);
    }

    private async Task<List<Guid>> QueueAsync(OutboxMessage message, CaseRecord record, RecipientLists recipients, DateTime now, CancellationToken cancellationToken)
    {
        var happened = MailEvent.FromJson(message.DataJson!);
        DateOnly? date = null;
        if (happened.Event == MailEvents.InformationRequest && happened.ItemId is { } requestId
            && await db.InformationRequests.AsNoTracking().Where(r => r.Id == Guid.Parse(requestId)).Select(r => r.DueAt).FirstOrDefaultAsync(cancellationToken) is { } due)
        {
            date = Letters.LocalDates.DueDateIn(calendars, record.HostJurisdiction, due);
        }

        var users = happened.Audience == Roles.Applicant
            ? await recipients.ApplicantAsync(record.ApplicantId, cancellationToken)
            : await recipients.OfAsync(happened.Audience, happened.Jurisdiction, cancellationToken);
        var queued = new List<Guid>();
        foreach (var user in users)
        {
            if (MailWriter.For(user, $"{message.Id}:{user.Id}", happened.Event, record, mailOptions.Value, date, now) is { } row)
            {
                db.Mail.Add(row);
                queued.Add(row.Id);
            }
        }

        return queued;
    }

    /// <summary>The users of a role and jurisdiction, and applicants, each read once for a batch.</summary>
    private sealed class RecipientLists(ScreeningDbContext db)
    {
        private readonly Dictionary<(string Audience, string? Jurisdiction), List<ScreeningUser>> _officials = [];
        private readonly Dictionary<string, List<ScreeningUser>> _applicants = [];

        public async Task<List<ScreeningUser>> OfAsync(string audience, string? jurisdiction, CancellationToken cancellationToken)
        {
            if (!_officials.TryGetValue((audience, jurisdiction), out var users))
            {
                users = await Recipients.OfRoleAsync(db, audience, jurisdiction, cancellationToken);
                _officials[(audience, jurisdiction)] = users;
            }

            return users;
        }

        public async Task<List<ScreeningUser>> ApplicantAsync(string applicantId, CancellationToken cancellationToken)
        {
            if (!_applicants.TryGetValue(applicantId, out var users))
            {
                users = await db.Users.AsNoTracking().Where(u => u.Id == applicantId).ToListAsync(cancellationToken);
                _applicants[applicantId] = users;
            }

            return users;
        }
    }
}
