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
/// Sends mail rows, each once: the rows are taken for a few minutes first (so two workers never send one side by
/// side), handed to the SMTP server over one connection (or written to the pickup folder), then marked sent, all
/// of them by one statement in one commit. A row found sent is left alone; a failure is tried again later, each
/// wait twice the last. The Message-ID is made of the row's id, so a copy sent again after a crash between
/// hand-over and mark is recognisably the same message.
/// </summary>
public sealed record SendMail(IReadOnlyList<Guid> MailIds) : ICommand<IReadOnlyList<SendMailResult>>;

public sealed class SendMailHandler(ScreeningDbContext db, UnitOfWork unitOfWork, IOptions<MailOptions> mailOptions, IOptions<ScreeningOptions> options, TimeProvider time, ILogger<SendMailHandler> logger)
    : ICommandHandler<SendMail, IReadOnlyList<SendMailResult>>
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public async ValueTask<IReadOnlyList<SendMailResult>> Handle(SendMail command, CancellationToken cancellationToken)
    {
        var ids = command.MailIds.Distinct().ToList();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Mail.AsNoTracking().Where(m => ids.Contains(m.Id) && m.SentAt == null && m.NextAttemptAt <= now).Select(m => m.Id).ToListAsync(cancellationToken);
        var taken = due.Count == 0 ? 0 : await db.Mail
            .Where(m => due.Contains(m.Id) && m.SentAt == null && m.NextAttemptAt <= now)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, now + Lease), cancellationToken);
        if (taken != due.Count)
        {
            // Another worker took some of them in between: which ones only a row at a time can tell.
            var results = new List<SendMailResult>();
            foreach (var id in ids)
            {
                results.AddRange(await Handle(new SendMail([id]), cancellationToken));
            }

            return results;
        }

        // Untracked: the rows sent are marked by one statement, and only a failed one is tracked, for its own back-off.
        var rows = await db.Mail.AsNoTracking().Where(m => ids.Contains(m.Id)).ToDictionaryAsync(m => m.Id, cancellationToken);
        var outcome = new Dictionary<Guid, SendMailResult>();
        await using (var transport = new MailTransport(mailOptions.Value, options.Value))
        {
            foreach (var id in ids)
            {
                outcome[id] = !rows.TryGetValue(id, out var mail) ? SendMailResult.NotFound
                    : mail.SentAt is not null ? SendMailResult.AlreadySent
                    // Stopping: the rest keep their lease and are sent by the sweep once it is over.
                    : !due.Contains(id) || cancellationToken.IsCancellationRequested ? SendMailResult.NotDue
                    : await SendAsync(mail, transport, now, cancellationToken);
            }
        }

        var sent = outcome.Where(o => o.Value == SendMailResult.Sent).Select(o => o.Key).ToList();
        if (sent.Count > 0)
        {
            // Each was handed over by now: the moment the batch's last one was.
            var at = time.GetUtcNow().UtcDateTime;
            unitOfWork.Execute(d => d.Mail.Where(m => sent.Contains(m.Id) && m.SentAt == null).ExecuteUpdateAsync(
                s => s.SetProperty(m => m.SentAt, at).SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LastError, (string?)null),
                CancellationToken.None));
        }

        if (outcome.Values.Any(r => r is SendMailResult.Sent or SendMailResult.Failed))
        {
            await unitOfWork.CommitAsync(CancellationToken.None);
        }

        return [.. ids.Select(id => outcome[id])];
    }

    private async Task<SendMailResult> SendAsync(MailRecord mail, MailTransport transport, DateTime now, CancellationToken cancellationToken)
    {
        try
        {
            await transport.SendAsync(Message(mail), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return SendMailResult.NotDue;
        }
        catch (Exception ex)
        {
            db.Mail.Attach(mail);
            mail.Attempts++;
            var wait = TimeSpan.FromMinutes(Math.Min(Math.Pow(2, mail.Attempts - 1), mailOptions.Value.MaxBackoff.TotalMinutes));
            mail.NextAttemptAt = now + wait;
            mail.LastError = Workflows.CaseProjection.Truncate(ex.Message, 1000);
            logger.LogWarning(ex, "E-mail {MailId} could not be sent (attempt {Attempt}); trying again after {Wait}.", mail.Id, mail.Attempts, wait);
            return SendMailResult.Failed;
        }

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

    public static string PickupDirectory(MailOptions mail, ScreeningOptions screening) =>
        Path.GetFullPath(mail.PickupDirectory ?? Path.Combine(screening.DataDirectory, "mail-pickup"));
}

/// <summary>
/// Where a batch's messages go: the pickup folder, or the SMTP server over one connection, opened at the first
/// message and opened again after a failed message. A server that cannot be reached fails the batch's other
/// messages at once, each kept for its next attempt, rather than each waiting out a connection of its own.
/// </summary>
internal sealed class MailTransport(MailOptions settings, ScreeningOptions screening) : IAsyncDisposable
{
    private SmtpClient? _client;
    private Exception? _unreachable;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (settings.UsesPickup)
        {
            var directory = SendMailHandler.PickupDirectory(settings, screening);
            Directory.CreateDirectory(directory);
            // Named by the message: writing it again replaces the same file.
            var path = Path.Combine(directory, (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0] + ".eml");
            await message.WriteToAsync(path, cancellationToken);
            return;
        }

        if (_unreachable is not null)
        {
            throw new IOException("The mail server could not be reached for this batch: " + _unreachable.Message, _unreachable);
        }

        try
        {
            await (_client ??= await ConnectAsync(cancellationToken)).SendAsync(message, cancellationToken);
        }
        catch
        {
            // The connection may be unusable now: the next message opens a new one.
            await CloseAsync(quit: false);
            throw;
        }
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, Enum.Parse<SecureSocketOptions>(settings.Security, ignoreCase: true), cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? string.Empty, cancellationToken);
            }

            return client;
        }
        catch (Exception ex)
        {
            client.Dispose();
            _unreachable = ex is OperationCanceledException ? null : ex;
            throw;
        }
    }

    private async Task CloseAsync(bool quit)
    {
        if (_client is { } client)
        {
            _client = null;
            try
            {
                if (quit && client.IsConnected)
                {
                    await client.DisconnectAsync(true, CancellationToken.None);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The messages are handed over; a failed goodbye changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync(quit: true);
}
