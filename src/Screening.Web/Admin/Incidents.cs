using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Admin;

public sealed record IncidentView(Guid CaseId, string CaseReference, string IncidentId, string StepId, string Message, DateTimeOffset At);

/// <summary>Steps that failed and wait for a retry, over every faulted instance.</summary>
public sealed record ListIncidents : IQuery<IReadOnlyList<IncidentView>>;

public sealed class ListIncidentsHandler(ScreeningDbContext db) : IQueryHandler<ListIncidents, IReadOnlyList<IncidentView>>
{
    public async ValueTask<IReadOnlyList<IncidentView>> Handle(ListIncidents query, CancellationToken cancellationToken)
    {
        var faulted = await (from i in db.Instances.AsNoTracking()
                             join c in db.Cases.AsNoTracking() on i.Id equals c.Id
                             where i.Status == "faulted"
                             select new { i.Id, c.Reference, i.StateJson }).ToListAsync(cancellationToken);
        return [.. faulted.SelectMany(f => WorkflowInstanceSerializer.Deserialize(f.StateJson).Incidents
            .Where(i => i.ResolvedAt is null)
            .Select(i => new IncidentView(f.Id, f.Reference, i.Id, i.StepId, i.Message, i.At)))
            .OrderBy(i => i.At)];
    }
}
