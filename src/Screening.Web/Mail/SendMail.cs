using MailKit.Net.Smtp;
using MailKit.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Mail;

/// <summary>What one attempt at sending did.</summary>
public enum SendMailResult
{
    Sent,
    AlreadySent,
    NotDue,
    Failed,
    NotFound,
}

/// <summary>
/// Sends one mail row, once: the row is taken for a few minutes first (so two workers never send it side by side),
/// handed to the SMTP server (or written to the pickup folder), then marked sent. A row found sent is left alone;
/// a failure is tried again later, each wait twice the last. The Message-ID is made of the row's id, so a copy
/// sent again after a crash between hand-over and mark is recognisably the same message.
/// </summary>
public sealed record SendMail(Guid MailId) : ICommand<SendMailResult>;

public sealed class SendMailHandler(ScreeningDbContext db, IOptions<MailOptions> mailOptions, IOptions<ScreeningOptions> options, TimeProvider time, ILogger<SendMailHandler> logger)
    : ICommandHandler<SendMail, SendMailResult>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async ValueTask<SendMailResult> Handle(SendMail command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var taken = await db.Mail
            .Where(m => m.Id == command.MailId && m.SentAt == null && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Lease), cancellationToken);
        var mail = await db.Mail.FirstOrDefaultAsync(m => m.Id == command.MailId, cancellationToken);
        if (mail is null)
        {
            return SendMailResult.NotFound;
        }

        if (mail.SentAt is not null)
        {
            return SendMailResult.AlreadySent;
        }

        if (taken == 0)
        {
            return SendMailResult.NotDue;
        }

        try
        {
            await DeliverAsync(Message(mail), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            mail.Attempts++;
            var wait = TimeSpan.FromMinutes(Math.Min(Math.Pow(2, mail.Attempts - 1), mailOptions.Value.MaxBackoff.TotalMinutes));
            mail.NextAttemptAt = now + wait;
            mail.LastError = Workflows.CaseProjection.Truncate(ex.Message, 1000);
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogWarning(ex, "E-mail {MailId} could not be sent (attempt {Attempt}); trying again after {Wait}.", mail.Id, mail.Attempts, wait);
            return SendMailResult.Failed;
        }

        mail.SentAt = time.GetUtcNow().UtcDateTime;
        mail.Attempts++;
        mail.LastError = null;
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("E-mail {MailId} ('{Event}') sent to user {UserId}.", mail.Id, mail.Event, mail.UserId);
        return SendMailResult.Sent;
    }

    public static string MessageIdOf(Guid mailId) => $"{mailId:N}@screening.mail";

    private MimeMessage Message(MailRecord mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mailOptions.Value.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.MessageId = MessageIdOf(mail.Id);
        message.Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedAt, DateTimeKind.Utc));
        message.Headers.Add("Content-Language", mail.Language);
        message.Body = new TextPart("plain") { Text = mail.Body };
        return message;
    }

    private async Task DeliverAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = mailOptions.Value;
        if (settings.UsesPickup)
        {
            var directory = PickupDirectory(settings, options.Value);
            Directory.CreateDirectory(directory);
            // Named by the message: writing it again replaces the same file.
            var path = Path.Combine(directory, (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0] + ".eml");
            await message.WriteToAsync(path, cancellationToken);
            return;
        }

        using var client = new SmtpClient();
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(true, cancellationToken);
    }

    public static string PickupDirectory(MailOptions mail, ScreeningOptions screening) =>
        Path.GetFullPath(mail.PickupDirectory ?? Path.Combine(screening.DataDirectory, "mail-pickup"));
}
