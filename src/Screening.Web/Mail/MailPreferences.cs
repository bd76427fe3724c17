using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>
/// Which e-mail alerts a user gets, in three groups: <c>caseEvents</c> (requests, notices and decisions on one's
/// cases), <c>reminders</c> (due dates near or passed) and <c>taskAssignments</c> (a task opened in one's queue);
/// and the language they are written in. All on by default.
/// </summary>
public sealed record NotificationPreferences(string Language, bool CaseEvents, bool Reminders, bool TaskAssignments);

public sealed record NotificationPreferencesBody(string? Language, bool? CaseEvents, bool? Reminders, bool? TaskAssignments);

public static class MailPreferences
{
    public const string CaseEvents = "case-events";
    public const string Reminders = "reminders";
    public const string TaskAssignments = "task-assignments";

    /// <summary>The group an event's alert belongs to.</summary>
    public static string GroupOf(string mailEvent) => mailEvent switch
    {
        MailEvents.RequestDue or MailEvents.TaskDue or MailEvents.TaskOverdue => Reminders,
        MailEvents.TaskAssigned => TaskAssignments,
        _ => CaseEvents,
    };

    public static bool Wants(string? mailOff, string mailEvent) =>
        mailOff is null || !mailOff.Split(',', StringSplitOptions.RemoveEmptyEntries).Contains(GroupOf(mailEvent));

    public static NotificationPreferences Of(ScreeningUser user)
    {
        var off = (user.MailOff ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new NotificationPreferences(Language(user.Language), !off.Contains(CaseEvents), !off.Contains(Reminders), !off.Contains(TaskAssignments));
    }

    public static string Language(string? language) => language is "fr" or "es" ? language : "en";
}

public sealed record GetNotificationPreferences(string UserId) : IQuery<NotificationPreferences>;

public sealed record PutNotificationPreferences(string UserId, NotificationPreferencesBody Body) : ICommand<NotificationPreferences>;

public sealed class NotificationPreferencesHandlers(ScreeningDbContext db)
    : IQueryHandler<GetNotificationPreferences, NotificationPreferences>, ICommandHandler<PutNotificationPreferences, NotificationPreferences>
{
    public async ValueTask<NotificationPreferences> Handle(GetNotificationPreferences query, CancellationToken cancellationToken) =>
        MailPreferences.Of(await db.Users.AsNoTracking().FirstAsync(u => u.Id == query.UserId, cancellationToken));

    public async ValueTask<NotificationPreferences> Handle(PutNotificationPreferences command, CancellationToken cancellationToken)
    {
        var body = command.Body;
        if (body.Language is not null && body.Language is not ("en" or "fr" or "es"))
        {
            throw ValidationFailedException.For("$.language", "The language is en, fr or es.");
        }

        var user = await db.Users.FirstAsync(u => u.Id == command.UserId, cancellationToken);
        var current = MailPreferences.Of(user);
        var off = new List<string>();
        if (!(body.CaseEvents ?? current.CaseEvents))
        {
            off.Add(MailPreferences.CaseEvents);
        }

        if (!(body.Reminders ?? current.Reminders))
        {
            off.Add(MailPreferences.Reminders);
        }

        if (!(body.TaskAssignments ?? current.TaskAssignments))
        {
            off.Add(MailPreferences.TaskAssignments);
        }

        user.MailOff = off.Count == 0 ? null : string.Join(',', off);
        user.Language = body.Language ?? user.Language;
        await db.SaveChangesAsync(cancellationToken);
        return MailPreferences.Of(user);
    }
}
