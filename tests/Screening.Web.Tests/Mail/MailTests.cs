using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Mail;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Mail;

/// <summary>
/// E-mail goes from the outbox to a real SMTP server started here: once per event and recipient, in the
/// recipient's language, never with what anyone wrote on the case, and not at all when the alert is off.
/// </summary>
public sealed class MailTests : IAsyncLifetime
{
    private const string Secret = "PARTNER-REMARK-7731 the other government doubts the offtake";

    private readonly FakeSmtpServer _smtp = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task EachEventIsMailedOnceToEachRecipientInTheirLanguageAcrossARestart()
    {
        var directory = ExistingDataScreeningFactory.NewDirectory();
        try
        {
            string caseId;
            DateTimeOffset stoppedAt;
            using (var first = new MailScreeningFactory(_smtp.Port, directory))
            {
                await Language(first, ScreeningFactory.Applicant, "fr");
                await Language(first, ScreeningFactory.OfficerCa, "es");
                (caseId, _, _) = await new CaseSteps(first).AwaitingApplicantAsync("What does the investor own?");
                await first.DrainAsync();
                stoppedAt = first.Time.GetUtcNow();
            }

            var applicant = _smtp.Messages.Where(m => m.To.ToString() == ScreeningFactory.Applicant).ToList();
            var request = Assert.Single(applicant);
            Assert.StartsWith("Dossier ", request.Subject);
            Assert.Contains("une demande de renseignements", request.Subject);
            Assert.Contains($"/cases/{caseId}", request.TextBody);
            var officer = _smtp.Messages.Where(m => m.To.ToString() == ScreeningFactory.OfficerCa).ToList();
            Assert.NotEmpty(officer);
            Assert.All(officer, m => Assert.StartsWith("Expediente ", m.Subject));
            Assert.All(officer, m => Assert.Contains($"/review/{caseId}", m.TextBody));
            var count = _smtp.Messages.Count;
            Assert.Equal(count, _smtp.Messages.Select(m => m.MessageId).Distinct().Count());

            using (var second = new MailScreeningFactory(_smtp.Port, directory, stoppedAt))
            {
                await second.DrainAsync();
                await second.Services.GetRequiredService<MailJobs>().SweepAsync(CancellationToken.None);
                await second.Services.GetRequiredService<Screening.Web.Jobs.NotificationJobs>().SweepAsync(CancellationToken.None);
                var rows = await second.QueryAsync(db => db.Mail.AsNoTracking().ToListAsync());
                Assert.Equal(count, rows.Count);
                Assert.All(rows, r => Assert.NotNull(r.SentAt));
            }

            Assert.Equal(count, _smtp.Messages.Count);
        }
        finally
        {
            ExistingDataScreeningFactory.DeleteDirectory(directory);
        }
    }

    [Fact]
    public async Task NoCommentOrNoteEverReachesAnEMail()
    {
        using var factory = new MailScreeningFactory(_smtp.Port);
        var steps = new CaseSteps(factory);
        var id = await steps.FileCertifiedAsync(Scenario.LowRiskMx());
        await factory.As(ScreeningFactory.OfficerMx).Post($"/api/cases/{id}/notes", new { text = Secret, restricted = true }).Ok(System.Net.HttpStatusCode.Created);
        await factory.As(ScreeningFactory.OfficerMx).Post($"/api/cases/{id}/notes", new { text = Secret, restricted = false }).Ok(System.Net.HttpStatusCode.Created);
        await steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx2, id, "host-review", "recommend-conditions", Secret);
        await steps.Scenario.CompleteAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution", "approve-with-requirements", Secret,
            [new { text = "Keep the plant", dueInDays = 30 }]);
        await factory.DrainAsync();

        var rows = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == Guid.Parse(id)).ToListAsync());
        Assert.Contains(rows, r => r.Event == MailEvents.Decision && r.To == ScreeningFactory.Applicant);
        Assert.Contains(rows, r => r.Event == MailEvents.TaskAssigned && r.To == ScreeningFactory.DecisionMx);
        Assert.All(rows, r => Assert.DoesNotContain("PARTNER-REMARK-7731", r.Subject + r.Body));
        Assert.NotEmpty(_smtp.Messages);
        Assert.All(_smtp.Messages, m => Assert.DoesNotContain("PARTNER-REMARK-7731", m.Subject + m.TextBody));
    }

    [Fact]
    public async Task AnAlertTurnedOffIsNotMailed()
    {
        using var factory = new MailScreeningFactory(_smtp.Port);
        var off = await factory.As(ScreeningFactory.Applicant).Put("/api/me/notification-preferences", new { caseEvents = false }).Ok();
        Assert.False(off["caseEvents"]!.GetValue<bool>());
        Assert.True(off["reminders"]!.GetValue<bool>());
        Assert.Equal(MailPreferences.CaseEvents, (await factory.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == ScreeningFactory.Applicant))).MailOff);
        await factory.As(ScreeningFactory.OfficerCa).Put("/api/me/notification-preferences", new { taskAssignments = false }).Ok();

        var (id, _, _) = await new CaseSteps(factory).AwaitingApplicantAsync("Any state shareholders?");
        await factory.DrainAsync();

        var rows = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == Guid.Parse(id)).ToListAsync());
        Assert.DoesNotContain(rows, r => r.To == ScreeningFactory.Applicant);
        Assert.DoesNotContain(rows, r => r.To == ScreeningFactory.OfficerCa);
        Assert.Contains(rows, r => r.To == ScreeningFactory.OfficerCa2 && r.Event == MailEvents.TaskAssigned);
        Assert.DoesNotContain(_smtp.Messages, m => m.To.ToString() == ScreeningFactory.Applicant);
        Assert.Equal(HttpStatusCode(400), (await factory.As(ScreeningFactory.Applicant).Put("/api/me/notification-preferences", new { language = "de" })).Status);
    }

    [Fact]
    public async Task RemindersComeFiveDaysBeforeAnAnswerIsDueAndThreeDaysBeforeAndAfterATaskIsDueOnceEach()
    {
        using var factory = new MailScreeningFactory(_smtp.Port);
        var (id, taskId, requestId) = await new CaseSteps(factory).AwaitingApplicantAsync("Send the offtake contracts.");
        await factory.DrainAsync();
        var jobs = factory.Services.GetRequiredService<MailJobs>();
        var request = await factory.QueryAsync(db => db.InformationRequests.AsNoTracking().SingleAsync(r => r.Id == Guid.Parse(requestId)));
        var task = await factory.StoredTaskAsync(taskId);
        // Asked on Monday 4 January 2027 at 15:00 UTC for 30 calendar days: due at the end of 3 February in Ottawa (05:00 UTC on the 4th).
        Assert.Equal(new DateTime(2027, 2, 4, 5, 0, 0, DateTimeKind.Utc), request.DueAt);

        Assert.Equal(0, await jobs.RemindAsync(CancellationToken.None));
        // 30 January 04:00 UTC is a little more than 5 days before 4 February 05:00 UTC; 06:00 a little less.
        factory.Time.SetUtcNow(new DateTimeOffset(2027, 1, 30, 4, 0, 0, TimeSpan.Zero));
        await jobs.RemindAsync(CancellationToken.None);
        Assert.Empty(await RowsAsync(factory, $"{MailEvents.RequestDue}:{requestId}"));
        factory.Time.SetUtcNow(new DateTimeOffset(2027, 1, 30, 6, 0, 0, TimeSpan.Zero));
        await jobs.RemindAsync(CancellationToken.None);
        await jobs.RemindAsync(CancellationToken.None);
        var requestDue = await RowsAsync(factory, $"{MailEvents.RequestDue}:{requestId}");
        var reminder = Assert.Single(requestDue);
        Assert.Equal(ScreeningFactory.Applicant, reminder.To);
        Assert.Contains("2027-02-03", reminder.Body);
        Assert.NotNull(reminder.SentAt);

        // The held task is due 30 calendar days after it opened; 3 days before, then after, its holder hears once each.
        var due = DateTime.SpecifyKind(task.DueAt!.Value, DateTimeKind.Utc);
        factory.Time.SetUtcNow(new DateTimeOffset(due.AddDays(-3).AddMinutes(1)));
        await jobs.RemindAsync(CancellationToken.None);
        await jobs.RemindAsync(CancellationToken.None);
        factory.Time.SetUtcNow(new DateTimeOffset(due.AddMinutes(1)));
        await jobs.RemindAsync(CancellationToken.None);
        await jobs.RemindAsync(CancellationToken.None);

        var soon = Assert.Single(await RowsAsync(factory, $"{MailEvents.TaskDue}:{taskId}:"));
        var late = Assert.Single(await RowsAsync(factory, $"{MailEvents.TaskOverdue}:{taskId}:"));
        Assert.Equal(ScreeningFactory.OfficerCa, soon.To);
        Assert.Equal(ScreeningFactory.OfficerCa, late.To);
        Assert.Single(await RowsAsync(factory, $"{MailEvents.RequestDue}:{requestId}"));
        Assert.Single(_smtp.Messages, m => m.MessageId == SendMailHandler.MessageIdOf(late.Id));
        Assert.Single(_smtp.Messages, m => m.MessageId == SendMailHandler.MessageIdOf(soon.Id));
        Assert.Single(_smtp.Messages, m => m.MessageId == SendMailHandler.MessageIdOf(reminder.Id));
        Assert.NotNull(id);
    }

    [Fact]
    public async Task WithoutAnSmtpServerMailIsWrittenToThePickupFolder()
    {
        using var factory = new ScreeningFactory();
        var (id, _, _) = await new CaseSteps(factory).AwaitingApplicantAsync("Who finances the purchase?");
        await factory.DrainAsync();

        var rows = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == Guid.Parse(id)).ToListAsync());
        Assert.NotEmpty(rows);
        var folder = Path.Combine(factory.DataDirectory, "mail-pickup");
        foreach (var row in rows)
        {
            var file = Path.Combine(folder, $"{row.Id:N}.eml");
            Assert.True(File.Exists(file), file);
            var message = await MimeKit.MimeMessage.LoadAsync(file);
            Assert.Equal(row.Subject, message.Subject);
            Assert.NotNull(row.SentAt);
        }

        Assert.Equal(rows.Count, Directory.GetFiles(folder, "*.eml").Length);
    }

    private static System.Net.HttpStatusCode HttpStatusCode(int code) => (System.Net.HttpStatusCode)code;

    private static Task Language(ScreeningFactory factory, string email, string language) =>
        factory.As(email).Put("/api/me/notification-preferences", new { language }).Ok();

    private static Task<List<MailRecord>> RowsAsync(ScreeningFactory factory, string keyPrefix) =>
        factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.Key.StartsWith(keyPrefix)).ToListAsync());
}
