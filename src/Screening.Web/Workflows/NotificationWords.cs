using Screening.Web.Persistence;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>
/// Words and audiences for what the engine raises by itself (an overdue task, an overdue request, an expired clock),
/// and the outbox row of any notification. A definition's own notifications carry their texts; the outbox keeps
/// the English one, which in-app delivery shows.
/// </summary>
public static class NotificationWords
{
    public static OutboxMessage Message(Notification notification, Guid caseId, DateTime now)
    {
        string Data(string key) => notification.Data.GetValueOrDefault(key, string.Empty);
        var (audience, subject, body) = notification.Kind switch
        {
            NotificationKinds.TaskOverdue => (notification.Audience, $"Overdue: {Data("title")}", $"The task '{Data("title")}' was due {Data("dueDate")} and is not done."),
            NotificationKinds.RequestOverdue => (notification.Audience ?? Identity.Roles.Applicant, "A request for information is overdue", Data("question")),
            NotificationKinds.ClockExpired => (notification.Audience ?? Identity.Roles.Officer, $"Statutory clock '{Data("clock")}' expired",
                $"The {Data("days")}-day period ended on {Data("dueDate")}."),
            _ => (notification.Audience, notification.Subject?.En ?? notification.StepId, notification.Body?.En),
        };
        return new OutboxMessage
        {
            Id = SortableIds.New(now),
            CaseId = caseId,
            Audience = audience ?? Identity.Roles.Officer,
            Jurisdiction = notification.Jurisdiction,
            Subject = CaseProjection.Truncate(subject, 300),
            Body = body is null ? null : CaseProjection.Truncate(body, 4000),
            CreatedAt = now,
        };
    }
}
