using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Jobs;

/// <summary>How a delivery marks its outbox rows delivered: one statement, in its command's savepoint (decision 0030).</summary>
internal static class OutboxMarks
{
    /// <summary>
    /// Has <paramref name="unitOfWork"/> mark the rows delivered at its commit, each only if it still is not: a row
    /// another worker delivered since it was read (an audience without users collides on no key) refuses the command.
    /// </summary>
    public static void MarkDelivered(UnitOfWork unitOfWork, IReadOnlyList<Guid> ids, DateTime now)
    {
        if (ids.Count == 0)
        {
            return;
        }

        List<Guid> rows = [.. ids];
        unitOfWork.Execute(async db =>
        {
            var marked = await db.Outbox.Where(m => rows.Contains(m.Id) && m.DeliveredAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.DeliveredAt, now), CancellationToken.None);
            if (marked != rows.Count)
            {
                throw new DbUpdateConcurrencyException($"{rows.Count - marked} of {rows.Count} outbox row(s) were delivered by another worker meanwhile.");
            }
        });
    }
}
