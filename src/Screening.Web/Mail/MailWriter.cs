using Screening.Workflows.Runtime;
using System.Globalization;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>
/// Writes an e-mail in its recipient's language from the event alone: the case's reference, a link to its page
/// and at most a due date. Nothing anyone wrote on the case goes into an e-mail.
/// </summary>
public static class MailWriter
{
    public static (string Subject, string Body) Write(string mailEvent, string language, CaseRecord record, bool official, string baseUrl, DateOnly? date)
    {
        var culture = CultureInfo.GetCultureInfo(MailPreferences.Language(language));
        string Word(string key) => Letters.MakeLettersHandler.Words.GetString(key, culture) ?? key;
        var link = $"{baseUrl.TrimEnd('/')}/{(official ? "review" : "cases")}/{record.Id}";
        var when = date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;
        var subject = string.Format(culture, Word($"mail:{mailEvent}:subject"), record.Reference);
        var body = string.Format(culture, Word($"mail:{mailEvent}:body"), record.Reference, link, when) + "\n\n-- \n" + Word("mail:footer") + "\n";
        return (subject, body);
    }

    /// <summary>A mail row for one recipient; null when the recipient turned that alert off or has no address.</summary>
    public static MailRecord? For(ScreeningUser user, string key, string mailEvent, CaseRecord record, MailOptions options, DateOnly? date, DateTime now)
    {
        if (string.IsNullOrWhiteSpace(user.Email) || !MailPreferences.Wants(user.MailOff, mailEvent))
        {
            return null;
        }

        var language = MailPreferences.Language(user.Language);
        var (subject, body) = Write(mailEvent, language, record, official: user.Jurisdiction is not null, options.BaseUrl, date);
        return new MailRecord
        {
            Id = SortableIds.New(now),
            Key = key,
            UserId = user.Id,
            To = user.Email,
            Language = language,
            Event = mailEvent,
            CaseId = record.Id,
            Subject = Workflows.CaseProjection.Truncate(subject, 300),
            Body = body,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }
}
