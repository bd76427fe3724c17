using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Jobs;

/// <summary>
/// Timers fire exactly once: when due and not before, when a lost job is swept up late, and across a restart of
/// the host. Every test asserts exact instants after moving the clock, so each has hosts of its own.
/// </summary>
public sealed class TimerTests
{
    /// <summary>The end of Mexico's 45 business days for a case certified on 4 January 2027: midnight in Mexico City.</summary>
    private static readonly DateTimeOffset DeemedApproval = new(2027, 3, 10, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ATimerFiresOnceWhenDueAndNotBefore()
    {
        using var factory = new ScreeningFactory();
        var steps = new CaseSteps(factory);
        var id = await steps.FileCertifiedAsync(Scenario.LowRiskMx());
        var expiry = await ClockExpiryAsync(factory, id);
        Assert.Equal((TimerStates.Pending, DeemedApproval.UtcDateTime), (expiry.State, expiry.DueAt));
        var jobs = factory.Services.GetRequiredService<TimerJobs>();
        Assert.Equal(FireTimerResult.NotDue, await jobs.FireAsync(expiry.Id, CancellationToken.None));

        var almost = await steps.Scenario.AdvanceAsync((DeemedApproval.AddMinutes(-1) - ScreeningFactory.Start).TotalDays);

        Assert.InRange(DateTimeOffset.Parse(almost.S("now"), System.Globalization.CultureInfo.InvariantCulture), DeemedApproval.AddMinutes(-1).AddSeconds(-1), DeemedApproval.AddMinutes(-1).AddSeconds(1));
        Assert.Equal(1, almost["timersFired"]!.GetValue<int>()); // the host review's escalation on 17 February, not the expiry
        var waiting = await steps.Scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal("in-review", waiting.S("status"));
        Assert.Null(waiting["decision"]);
        Assert.Equal(TimerStates.Pending, (await ClockExpiryAsync(factory, id)).State);
        Assert.Equal(FireTimerResult.NotDue, await jobs.FireAsync(expiry.Id, CancellationToken.None));

        var past = await steps.Scenario.AdvanceAsync(2.0 / (24 * 60));

        Assert.Equal(1, past["timersFired"]!.GetValue<int>());
        var decided = await steps.Scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("decided", "deemed-approved", "2027-03-10T06:00:00Z"), (decided.S("status"), decided["decision"].S("outcome"), decided["decision"].S("decidedAt")));
        var fired = await ClockExpiryAsync(factory, id);
        Assert.Equal((TimerStates.Fired, DeemedApproval.UtcDateTime), (fired.State, fired.FiredAt));
        Assert.Single(await TimerFiredEntriesAsync(factory, fired.Id));

        var auditBefore = await factory.AuditCountAsync();
        var versionBefore = (await factory.StoredInstanceAsync(id)).Version;
        Assert.Equal(FireTimerResult.AlreadyDone, await jobs.FireAsync(expiry.Id, CancellationToken.None));
        Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));

        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal(versionBefore, (await factory.StoredInstanceAsync(id)).Version);
        var again = await ClockExpiryAsync(factory, id);
        Assert.Equal((TimerStates.Fired, DeemedApproval.UtcDateTime), (again.State, again.FiredAt));
        Assert.Single(await TimerFiredEntriesAsync(factory, fired.Id));
        Assert.Equal("deemed-approved", (await steps.Scenario.CaseAsync(ScreeningFactory.Applicant, id))["decision"].S("outcome"));
    }

    [Fact]
    public async Task ALostJobIsRecoveredByTheSweepExactlyOnce()
    {
        using var factory = new ScreeningFactory();
        var steps = new CaseSteps(factory);
        var id = await steps.FileCertifiedAsync(Scenario.LowRiskMx());
        var late = DeemedApproval.AddHours(5);

        factory.Time.Advance(late - factory.Time.GetUtcNow());

        Assert.Equal("in-review", (await steps.Scenario.CaseAsync(ScreeningFactory.Applicant, id)).S("status"));
        var pending = await TimersAsync(factory, id);
        Assert.Equal(2, pending.Count(t => t.State == TimerStates.Pending));
        var jobs = factory.Services.GetRequiredService<TimerJobs>();

        var fired = await jobs.SweepAsync(CancellationToken.None);

        Assert.Equal(2, fired);
        var timers = await TimersAsync(factory, id);
        Assert.DoesNotContain(timers, t => t.State == TimerStates.Pending);
        var expiry = timers.Single(t => t.Kind == "ClockExpiry");
        Assert.Equal((TimerStates.Fired, late.UtcDateTime), (expiry.State, expiry.FiredAt));
        Assert.Single(timers, t => t.Kind == "TaskEscalation" && t.State == TimerStates.Fired);
        foreach (var timer in timers.Where(t => t.State == TimerStates.Fired))
        {
            Assert.Single(await TimerFiredEntriesAsync(factory, timer.Id));
        }

        var decided = await steps.Scenario.CaseAsync(ScreeningFactory.Applicant, id);
        Assert.Equal(("decided", "deemed-approved"), (decided.S("status"), decided["decision"].S("outcome")));
        var auditBefore = await factory.AuditCountAsync();

        Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));

        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal(expiry.FiredAt, (await ClockExpiryAsync(factory, id)).FiredAt);
    }

    [Fact]
    public async Task ARestartOfTheHostFiresNothingTwiceAndTheAuditChainStillVerifies()
    {
        var directory = ExistingDataScreeningFactory.NewDirectory();
        try
        {
            string first;
            string second;
            List<TimerRecord> firedBeforeRestart;
            using (var host = new ExistingDataScreeningFactory(directory, ScreeningFactory.Start))
            {
                var steps = new CaseSteps(host);
                first = await steps.FileCertifiedAsync(Scenario.LowRiskMx());
                await steps.Scenario.AdvanceAsync(66); // to 11 March 2027, 15:00 UTC: the first case is deemed approved
                second = await steps.FileCertifiedAsync(Scenario.LowRiskMx());
                firedBeforeRestart = [.. (await TimersAsync(host, first)).Where(t => t.State == TimerStates.Fired)];
                Assert.Equal(2, firedBeforeRestart.Count);
                Assert.Equal(2, (await TimersAsync(host, second)).Count(t => t.State == TimerStates.Pending));
                Assert.Equal("decided", (await host.StoredCaseAsync(first)).Status);
            }

            using (var host = new ExistingDataScreeningFactory(directory, ScreeningFactory.Start))
            {
                var clock = await host.As(ScreeningFactory.Admin).Get("/api/admin/clock").Ok();
                Assert.Equal("2027-03-11T15:00:00Z", clock.S("now")); // the simulated date survives the restart
                var jobs = host.Services.GetRequiredService<TimerJobs>();
                var auditBefore = await host.AuditCountAsync();

                Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));

                Assert.Equal(auditBefore, await host.AuditCountAsync());
                var firstTimers = await TimersAsync(host, first);
                foreach (var before in firedBeforeRestart)
                {
                    var after = firstTimers.Single(t => t.Id == before.Id);
                    Assert.Equal((TimerStates.Fired, before.FiredAt), (after.State, after.FiredAt));
                }

                // The second case's deadline passes while this host runs: the sweep fires its timers once.
                host.Time.Advance(TimeSpan.FromDays(90));
                Assert.Equal(2, await jobs.SweepAsync(CancellationToken.None));
                Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));
                Assert.Equal("deemed-approved", (await host.As(ScreeningFactory.Applicant).Get($"/api/cases/{second}").Ok())["decision"].S("outcome"));
            }

            using (var host = new ExistingDataScreeningFactory(directory, ScreeningFactory.Start.AddDays(90)))
            {
                var jobs = host.Services.GetRequiredService<TimerJobs>();
                var auditBefore = await host.AuditCountAsync();

                Assert.Equal(0, await jobs.SweepAsync(CancellationToken.None));

                Assert.Equal(auditBefore, await host.AuditCountAsync());
                var fired = await host.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.State == TimerStates.Fired).ToListAsync());
                Assert.Equal(4, fired.Count);
                var entries = await host.StoredEventsAsync("timer.fired");
                Assert.Equal(fired.Count, entries.Count);
                Assert.Equal(fired.Select(t => t.Id.ToString()).Order(), entries.Select(e => e.Data["timer"]!.GetValue<string>()).Order());
                var verify = await host.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
                Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
                Assert.Equal(await host.QueryAsync(db => db.Audit.LongCountAsync()), verify["entries"]!.GetValue<long>());
                Assert.Single(await host.StoredEventsAsync("case.submitted", first));
                Assert.Equal(2, await host.CaseCountAsync());
            }
        }
        finally
        {
            ExistingDataScreeningFactory.DeleteDirectory(directory);
        }
    }

    private static Task<TimerRecord> ClockExpiryAsync(ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == Guid.Parse(caseId) && t.Kind == "ClockExpiry"));

    private static Task<List<TimerRecord>> TimersAsync(ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.InstanceId == Guid.Parse(caseId)).ToListAsync());

    private static async Task<List<JsonObject>> TimerFiredEntriesAsync(ScreeningFactory factory, Guid timerId) =>
        [.. (await factory.StoredEventsAsync("timer.fired")).Select(e => e.Data).Where(d => d["timer"]!.GetValue<string>() == timerId.ToString())];
}
