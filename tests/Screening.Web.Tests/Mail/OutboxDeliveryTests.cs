using System.Data.Common;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Mail;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Mail;

/// <summary>
/// The outbox rows of many commands are delivered together: their notifications and e-mail in one commit, the
/// e-mail over one SMTP connection, each once however often a delivery runs; a mail server that is down loses
/// nothing; and a host that runs the job server delivers right after the commit, without a job.
/// </summary>
public sealed class OutboxDeliveryTests : IAsyncLifetime
{
    private readonly FakeSmtpServer _smtp = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _smtp.DisposeAsync();

    [Fact]
    public async Task TheRowsOfSeveralCommandsAreDeliveredTogetherOnceAndTheirMailGoesOverOneConnection()
    {
        using var factory = new MailScreeningFactory(_smtp.Port);
        // A high-risk case consults the partner (a notification to its officials) and tasks its officers (e-mail).
        var caseId = Guid.Parse(await new CaseSteps(factory).FileCertifiedAsync(Scenario.HighRiskCa()));
        var pending = await UndeliveredAsync(factory, caseId);
        Assert.Contains(pending, m => m.Kind == OutboxKinds.Notification);
        Assert.Contains(pending, m => m.Kind == OutboxKinds.Mail);
        var sessions = _smtp.Sessions;

        var reached = await factory.Services.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. pending.Select(m => m.Id)], CancellationToken.None);

        Assert.Empty(await UndeliveredAsync(factory, caseId));
        var mail = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync());
        Assert.NotEmpty(mail);
        Assert.All(mail, m => Assert.True(m.SentAt is not null && m.Attempts == 1 && m.LastError is null, $"{m.Key}: sent {m.SentAt}, attempts {m.Attempts}"));
        Assert.Equal(mail.Select(m => SendMailHandler.MessageIdOf(m.Id)).Order(), _smtp.Messages.Select(m => m.MessageId).Order());
        Assert.Equal(1, _smtp.Sessions - sessions);
        var outboxIds = pending.Select(m => m.Id).ToList();
        var notifications = await factory.QueryAsync(db => db.Notifications.AsNoTracking().CountAsync(n => outboxIds.Contains(n.OutboxId)));
        Assert.True(notifications > 0);
        var letters = await factory.QueryAsync(db => db.Letters.AsNoTracking().CountAsync(l => l.CaseId == caseId));
        Assert.Equal(notifications + mail.Count + letters, reached);

        // Run again (a retried job, the sweep): nothing is delivered, made or sent twice.
        Assert.Equal(0, await factory.Services.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. outboxIds], CancellationToken.None));
        Assert.Equal(mail.Count, _smtp.Messages.Count);
        Assert.Equal(notifications, await factory.QueryAsync(db => db.Notifications.AsNoTracking().CountAsync(n => outboxIds.Contains(n.OutboxId))));
        Assert.Equal(mail.Count, await factory.QueryAsync(db => db.Mail.AsNoTracking().CountAsync(m => m.CaseId == caseId)));
    }

    [Fact]
    public async Task AMailServerThatIsDownLosesNothingAndEachMailGoesOnceItIsBack()
    {
        var port = FakeSmtpServer.FreePort();
        using var factory = new MailScreeningFactory(port);
        var (id, _, _) = await new CaseSteps(factory).AwaitingApplicantAsync("Who finances the offtake?");
        var caseId = Guid.Parse(id);
        var pending = await UndeliveredAsync(factory, caseId);

        await factory.Services.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. pending.Select(m => m.Id)], CancellationToken.None);

        // Queued, tried once, kept with the error, to be tried again a minute later (the first back-off).
        Assert.Empty(await UndeliveredAsync(factory, caseId));
        var mail = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync());
        Assert.NotEmpty(mail);
        var tried = factory.Time.GetUtcNow().UtcDateTime;
        Assert.All(mail, m => Assert.True(m.SentAt is null && m.Attempts == 1 && m.LastError is not null && m.NextAttemptAt == tried.AddMinutes(1), $"{m.Key}: attempts {m.Attempts}, next {m.NextAttemptAt:O}"));

        await using var smtp = new FakeSmtpServer(port);
        var jobs = factory.Services.GetRequiredService<MailJobs>();
        Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));
        Assert.Empty(smtp.Messages);

        factory.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(mail.Count, await jobs.SweepAsync(CancellationToken.None));
        Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));
        var sent = await factory.QueryAsync(db => db.Mail.AsNoTracking().Where(m => m.CaseId == caseId).ToListAsync());
        Assert.All(sent, m => Assert.True(m.SentAt is not null && m.Attempts == 2 && m.LastError is null, $"{m.Key}: sent {m.SentAt}, attempts {m.Attempts}"));
        Assert.Equal(mail.Select(m => SendMailHandler.MessageIdOf(m.Id)).Order(), smtp.Messages.Select(m => m.MessageId).Order());
        Assert.Equal(1, smtp.Sessions);
    }

    [Fact]
    public async Task AHostRunningTheJobServerDeliversRightAfterTheCommitWithoutAJob()
    {
        using var factory = new DeliveringFactory();
        var caseId = Guid.Parse(await new CaseSteps(factory).FileCertifiedAsync(Scenario.HighRiskCa()));

        // The sweep takes only rows left for 30 seconds, and the fake clock stands still: only the host's own round delivers these.
        var rounds = 0;
        while ((await UndeliveredAsync(factory, caseId)).Count > 0)
        {
            Assert.True(++rounds < 500, "The outbox rows were not delivered within 10 seconds of their commit.");
            await Task.Delay(20);
        }

        var outboxIds = await factory.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => m.CaseId == caseId).Select(m => m.Id).ToListAsync());
        Assert.NotEmpty(outboxIds);
        Assert.True(await factory.QueryAsync(db => db.Notifications.AsNoTracking().AnyAsync(n => outboxIds.Contains(n.OutboxId))));
        var jobs = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var methods = jobs.EnqueuedJobs("default", 0, 1000).Select(j => j.Value.Job?.Method.Name)
            .Concat(jobs.ProcessingJobs(0, 1000).Select(j => j.Value.Job?.Method.Name))
            .Concat(jobs.SucceededJobs(0, 1000).Select(j => j.Value.Job?.Method.Name))
            .Concat(jobs.FailedJobs(0, 1000).Select(j => j.Value.Job?.Method.Name));
        Assert.DoesNotContain(methods, m => m is nameof(NotificationJobs.DeliverEachAsync) or nameof(NotificationJobs.DeliverAsync));
    }

    [Fact]
    public async Task ADeliveryBetweenTwoCommandsLeavesTheAuditChainWhole()
    {
        using var factory = new TailCountingFactory();
        var steps = new CaseSteps(factory);
        var caseId = Guid.Parse(await steps.FileCertifiedAsync(Scenario.HighRiskCa()));
        var pending = await UndeliveredAsync(factory, caseId);
        var reads = factory.TailReads;

        // The delivery commits rows and no audit entry; the claim after it chains onto the entry before it.
        await factory.Services.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. pending.Select(m => m.Id)], CancellationToken.None);
        await steps.ClaimAsync(ScreeningFactory.OfficerCa, caseId.ToString(), "host-review");

        var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>());
        if (!TestDatabase.IsPostgreSql)
        {
            // On SQLite this process is the one writer and keeps the tail; a commit without entries gives it back.
            Assert.Equal(reads, factory.TailReads);
        }
    }

    [Fact]
    public async Task ADeliveryRacingAnotherThatDeliveredItsRowsMeanwhileAddsNothing()
    {
        using var factory = new RacingFactory();
        var caseId = Guid.Parse(await new CaseSteps(factory).FileCertifiedAsync(Scenario.HighRiskCa()));
        var rows = (await UndeliveredAsync(factory, caseId)).Where(m => m.Kind != OutboxKinds.Letter).Select(m => m.Id).ToList();
        Assert.True(rows.Count > 1, "The case left fewer than two notification and e-mail rows.");

        // Another worker marks every row delivered just after this delivery has read them, before it commits.
        factory.DeliverMeanwhile(rows);
        Assert.Equal(0, await factory.Services.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. rows], CancellationToken.None));

        Assert.True(factory.Raced, "The other worker's delivery did not run between the read and the commit.");
        Assert.Equal(0, await factory.QueryAsync(db => db.Notifications.AsNoTracking().CountAsync(n => rows.Contains(n.OutboxId))));
        Assert.Equal(0, await factory.QueryAsync(db => db.Mail.AsNoTracking().CountAsync(m => m.CaseId == caseId)));
        var marks = await factory.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => rows.Contains(m.Id)).Select(m => m.DeliveredAt).ToListAsync());
        Assert.All(marks, at => Assert.Equal(RacingFactory.OtherDelivery, at));
    }

    private static Task<List<OutboxMessage>> UndeliveredAsync(ScreeningFactory factory, Guid caseId) =>
        factory.QueryAsync(db => db.Outbox.AsNoTracking().Where(m => m.CaseId == caseId && m.DeliveredAt == null).ToListAsync());

    private sealed class DeliveringFactory : ScreeningFactory
    {
        protected override bool RunJobServer => true;
    }

    /// <summary>A host in which another worker delivers the given rows the moment a delivery has read them.</summary>
    private sealed class RacingFactory : ScreeningFactory
    {
        public static readonly DateTime OtherDelivery = new(2027, 1, 4, 14, 0, 0, DateTimeKind.Utc);

        private readonly OtherDeliveryInterceptor _other = new();

        public bool Raced => _other.Ran;

        public void DeliverMeanwhile(IReadOnlyList<Guid> rows) => _other.Arm(this, rows);

        protected override IReadOnlyList<IInterceptor> Interceptors => [_other];
    }

    private sealed class OtherDeliveryInterceptor : DbCommandInterceptor
    {
        private (ScreeningFactory Factory, IReadOnlyList<Guid> Rows)? _armed;

        public bool Ran { get; private set; }

        public void Arm(ScreeningFactory factory, IReadOnlyList<Guid> rows) => _armed = (factory, rows);

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            // The delivery's own read of its rows (the letters are read apart, as Kind = 'letter').
            if (_armed is { } armed && command.CommandText.Contains("\"Outbox\"", StringComparison.Ordinal) && command.CommandText.Contains("<> 'letter'", StringComparison.Ordinal))
            {
                _armed = null;
                var rows = armed.Rows;
                await armed.Factory.QueryAsync(db => db.Outbox.Where(m => rows.Contains(m.Id)).ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, RacingFactory.OtherDelivery), cancellationToken));
                Ran = true;
            }

            return result;
        }
    }

    /// <summary>Counts the reads of the audit chain's last entry (what a writer that does not know the tail runs).</summary>
    private sealed class TailCountingFactory : ScreeningFactory
    {
        private readonly TailReadCounter _counter = new();

        public int TailReads => _counter.Count;

        protected override IReadOnlyList<IInterceptor> Interceptors => [_counter];
    }

    private sealed class TailReadCounter : DbCommandInterceptor
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Note(command);
            return base.ReaderExecuting(command, eventData, result);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Note(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Note(DbCommand command)
        {
            if (command.CommandText.Contains("\"AuditEntries\"", StringComparison.Ordinal) && command.CommandText.Contains("ORDER BY \"a\".\"Seq\" DESC", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
