using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>
/// Jobs a command needs once it has committed: one scheduled job per new timer row (its id stored on the
/// row), deletion of the jobs of cancelled timers, and delivery of new outbox messages. In simulated time
/// no timer job is scheduled: the clock endpoint and the sweep fire due rows by the simulated clock.
/// </summary>
public sealed class JobDispatcher(IServiceProvider services, IOptions<ScreeningOptions> options, ILogger<JobDispatcher> logger)
{
    private readonly List<TimerRecord> _scheduled = [];
    private readonly List<string> _deleted = [];
    private readonly List<Guid> _outbox = [];

    public void TimerScheduled(TimerRecord timer) => _scheduled.Add(timer);

    public void TimerCancelled(TimerRecord timer)
    {
        _scheduled.Remove(timer);
        if (timer.JobId is { } id)
        {
            _deleted.Add(id);
        }
    }

    public void OutboxAdded(Guid id) => _outbox.Add(id);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_scheduled.Count == 0 && _deleted.Count == 0 && _outbox.Count == 0)
        {
            return;
        }

        var client = services.GetService<IBackgroundJobClient>();
        if (client is null)
        {
            Clear();
            return;
        }

        try
        {
            if (!options.Value.Clock.Simulated)
            {
                var db = services.GetRequiredService<ScreeningDbContext>();
                foreach (var timer in _scheduled)
                {
                    var due = new DateTimeOffset(DateTime.SpecifyKind(timer.DueAt, DateTimeKind.Utc));
                    var jobId = client.Schedule<TimerJobs>(j => j.FireAsync(timer.Id, CancellationToken.None), due);
                    await db.Timers.Where(t => t.Id == timer.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.JobId, jobId), cancellationToken);
                }
            }

            foreach (var jobId in _deleted)
            {
                client.Delete(jobId);
            }

            foreach (var id in _outbox)
            {
                client.Enqueue<NotificationJobs>(j => j.DeliverAsync(id, CancellationToken.None));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The rows are committed; the sweep fires due timers and delivers the outbox without these jobs.
            logger.LogWarning(ex, "Could not schedule jobs after a commit; the sweep will catch up.");
        }
        finally
        {
            Clear();
        }
    }

    private void Clear()
    {
        _scheduled.Clear();
        _deleted.Clear();
        _outbox.Clear();
    }
}
