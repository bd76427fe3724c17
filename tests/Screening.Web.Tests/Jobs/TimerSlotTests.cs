using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Jobs;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Jobs;

/// <summary>
/// On a real clock, timers that fall due in the same second share one scheduled job: filing cases schedules
/// one job per distinct second, stores its id on every row of that second, and the job fires all of them once.
/// </summary>
public sealed class TimerSlotTests
{
    [Fact]
    public async Task TimersDueInTheSameSecondShareOneJobThatFiresThemAllOnce()
    {
        using var factory = new RealClockScreeningFactory();
        var scenario = new Scenario(factory);
        string[] cases = [await scenario.FileAsync(Scenario.LowRiskCa()), await scenario.FileAsync(Scenario.LowRiskCa())];

        var rows = await PendingAsync(factory);
        Assert.Equal(cases.Order(), rows.Select(r => r.InstanceId.ToString()).Distinct().Order());
        var slots = rows.GroupBy(r => TimerSlots.SlotOf(r.DueAt)).ToList();
        Assert.True(rows.Count > slots.Count, "two cases filed at one instant have deadlines in the same seconds");
        var scheduled = ScheduledSlots(factory);
        Assert.Equal(slots.Select(s => s.Key).Order(), scheduled.Select(s => s.Slot).Order());
        foreach (var slot in slots)
        {
            var job = scheduled.Single(s => s.Slot == slot.Key).JobId;
            Assert.All(slot, r => Assert.Equal(job, r.JobId));
        }

        // A third filing at the same instant joins the jobs already scheduled, inside its own transaction.
        var third = await scenario.FileAsync(Scenario.LowRiskCa());
        Assert.Equal(scheduled.Count, ScheduledSlots(factory).Count);
        Assert.All((await PendingAsync(factory)).Where(r => r.InstanceId.ToString() == third),
            r => Assert.Equal(scheduled.Single(s => s.Slot == TimerSlots.SlotOf(r.DueAt)).JobId, r.JobId));

        var jobs = factory.Services.GetRequiredService<TimerJobs>();
        var first = slots.MinBy(s => s.Key)!;
        var auditBefore = await factory.AuditCountAsync();

        // Run early (a job server whose clock lags the host's): nothing fires, and the slot is scheduled again.
        Assert.Equal(0, await jobs.FireSlotAsync(first.Key, CancellationToken.None));
        Assert.Equal(auditBefore, await factory.AuditCountAsync());
        Assert.Equal(2, ScheduledSlots(factory).Count(s => s.Slot == first.Key));

        factory.Time.SetUtcNow(new DateTimeOffset(first.Key, TimeSpan.Zero));
        var due = (await PendingAsync(factory)).Where(r => TimerSlots.SlotOf(r.DueAt) == first.Key).ToList();
        Assert.Equal(3 * first.Count() / 2, due.Count);

        Assert.Equal(due.Count, await jobs.FireSlotAsync(first.Key, CancellationToken.None));
        Assert.Equal(0, await jobs.FireSlotAsync(first.Key, CancellationToken.None));

        var stored = await factory.QueryAsync(db => db.Timers.AsNoTracking().ToListAsync());
        Assert.All(due, d => Assert.Equal((TimerStates.Fired, first.Key), (stored.Single(s => s.Id == d.Id).State, stored.Single(s => s.Id == d.Id).FiredAt)));
        Assert.All(stored.Where(s => TimerSlots.SlotOf(s.DueAt) > first.Key), s => Assert.Equal(TimerStates.Pending, s.State));
        var fired = await factory.StoredEventsAsync("timer.fired");
        Assert.Equal(due.Select(d => d.Id.ToString()).Order(), fired.Select(e => e.Data["timer"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task ATimerThatFailsDoesNotHoldBackTheOthersOfItsSecond()
    {
        using var factory = new RealClockScreeningFactory();
        var scenario = new Scenario(factory);
        var broken = Guid.Parse(await scenario.FileAsync(Scenario.LowRiskCa()));
        var sound = Guid.Parse(await scenario.FileAsync(Scenario.LowRiskCa()));
        var slot = (await PendingAsync(factory)).Select(r => TimerSlots.SlotOf(r.DueAt)).Min();
        // A new version, as any writer leaves it, so the instance kept in memory is not taken for the stored one.
        await factory.QueryAsync(db => db.Instances.Where(i => i.Id == broken).ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, "{").SetProperty(i => i.Version, i => i.Version + 1)));
        factory.Time.SetUtcNow(new DateTimeOffset(slot, TimeSpan.Zero));

        var jobs = factory.Services.GetRequiredService<TimerJobs>();
        await Assert.ThrowsAsync<AggregateException>(() => jobs.FireSlotAsync(slot, CancellationToken.None));

        var rows = await factory.QueryAsync(db => db.Timers.AsNoTracking().ToListAsync());
        var inSlot = rows.Where(r => TimerSlots.SlotOf(r.DueAt) == slot).ToList();
        Assert.All(inSlot.Where(r => r.InstanceId == sound), r => Assert.Equal(TimerStates.Fired, r.State));
        Assert.All(inSlot.Where(r => r.InstanceId == broken), r => Assert.Equal(TimerStates.Pending, r.State));
        Assert.Contains(inSlot, r => r.InstanceId == sound);

        // The sweep steps over it too: the broken case's other due timers are not its concern, but the sound
        // case's next deadline, later, fires when its time comes.
        var later = rows.Where(r => r.InstanceId == sound && r.State == TimerStates.Pending).MinBy(r => r.DueAt)!;
        factory.Time.SetUtcNow(new DateTimeOffset(DateTime.SpecifyKind(later.DueAt, DateTimeKind.Utc), TimeSpan.Zero));
        Assert.True(await jobs.SweepAsync(CancellationToken.None) >= 1);
        Assert.Equal(TimerStates.Fired, (await factory.QueryAsync(db => db.Timers.AsNoTracking().SingleAsync(t => t.Id == later.Id))).State);
        Assert.All((await factory.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.InstanceId == broken).ToListAsync())).Where(r => r.DueAt <= later.DueAt),
            r => Assert.Equal(TimerStates.Pending, r.State));
    }

    [Fact]
    public void ASlotIsTheEndOfTheSecondADeadlineFallsIn()
    {
        var whole = new DateTime(2027, 3, 10, 6, 0, 0, DateTimeKind.Utc);
        Assert.Equal(whole, TimerSlots.SlotOf(whole));
        Assert.Equal(whole, TimerSlots.SlotOf(whole.AddTicks(-1)));
        Assert.Equal(whole.AddSeconds(1), TimerSlots.SlotOf(whole.AddMilliseconds(1)));
        Assert.Equal(DateTimeKind.Utc, TimerSlots.SlotOf(DateTime.SpecifyKind(whole, DateTimeKind.Unspecified)).Kind);
    }

    private static Task<List<TimerRecord>> PendingAsync(ScreeningFactory factory) =>
        factory.QueryAsync(db => db.Timers.AsNoTracking().Where(t => t.State == TimerStates.Pending).ToListAsync());

    private static List<(DateTime Slot, string JobId)> ScheduledSlots(ScreeningFactory factory) =>
        [.. factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 1000)
            .Where(j => j.Value.Job.Method.Name == nameof(TimerJobs.FireSlotAsync))
            .Select(j => ((DateTime)j.Value.Job.Args[0], j.Key))];

    /// <summary>The host on a real (not simulated) clock, which this test still moves by hand.</summary>
    private sealed class RealClockScreeningFactory : ScreeningFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Screening:Clock:Simulated", "false");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
        }
    }
}
