using System.Threading.Channels;
using Hangfire;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;

namespace Screening.Web.Jobs;

/// <summary>
/// Delivers the outbox rows of committed batches (decision 0028). In a host that runs the job server, one loop in
/// the process takes every row committed since its last round and delivers them together, right after their COMMIT:
/// no job storage is written on the way, and a busy host delivers more rows a round, not more rounds. A host that
/// runs no job server enqueues one job per batch instead, for the node that does. Nothing is lost when the process
/// dies before a round: the rows are committed, and the outbox sweep delivers every row left for 30 seconds.
/// </summary>
public sealed class OutboxDeliverer(IServiceScopeFactory scopes, IOptions<ScreeningOptions> options, ILogger<OutboxDeliverer> logger) : BackgroundService
{
    /// <summary>Rows delivered together at most: a round's one commit stays short.</summary>
    public const int MaxRound = 500;

    private readonly Channel<Guid[]> _queue = Channel.CreateUnbounded<Guid[]>(new UnboundedChannelOptions { SingleReader = true });
    private volatile bool _running;

    /// <summary>Delivers a committed batch's new outbox rows: in this process's next round, or by a job.</summary>
    public void Deliver(Guid[] outbox)
    {
        if (outbox.Length == 0 || (_running && _queue.Writer.TryWrite(outbox)))
        {
            return;
        }

        // Off the writer's loop: the job storage's own commit does not hold up the next batch.
        _ = Task.Run(() =>
        {
            try
            {
                using var scope = scopes.CreateScope();
                scope.ServiceProvider.GetService<IBackgroundJobClient>()?.Enqueue<NotificationJobs>(j => j.DeliverEachAsync(outbox, CancellationToken.None));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not enqueue the delivery of {Count} outbox row(s); the sweep will deliver them.", outbox.Length);
            }
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Jobs.RunServer)
        {
            return;
        }

        _running = true;
        var round = new List<Guid>();
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                round.Clear();
                while (round.Count < MaxRound && _queue.Reader.TryRead(out var rows))
                {
                    round.AddRange(rows);
                }

                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<NotificationJobs>().DeliverEachAsync([.. round], stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not deliver {Count} outbox row(s) now; the sweep will deliver them.", round.Count);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _running = false;
        }
    }
}
