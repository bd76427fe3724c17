using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Admin;

/// <summary>
/// One simulated clock for a deployment of several nodes: the stored offset is the clock, and a node reads it
/// before it serves a request or fires a timer, so time moved through one node is the time of every node. Only
/// a simulated clock on PostgreSQL needs it (one small read by key); on SQLite the host is the deployment's only
/// node, and its clock is in memory beside the offset it stores.
/// </summary>
public sealed class SimulatedClockSync(SimulatedTimeProvider clock, IOptions<ScreeningOptions> options)
{
    public bool Enabled { get; } = options.Value.Clock.Simulated && options.Value.Database.IsPostgreSql;

    /// <summary>Moves this node's clock up to the stored one (never back: a node ahead has yet to store its move).</summary>
    public async Task RefreshAsync(ScreeningDbContext db, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        var stored = await db.SimulatedClock.AsNoTracking().Where(c => c.Id == 1).Select(c => (long?)c.OffsetTicks).FirstOrDefaultAsync(cancellationToken);
        if (stored is { } ticks && ticks > clock.Offset.Ticks)
        {
            clock.SetOffset(TimeSpan.FromTicks(ticks));
        }
    }
}
