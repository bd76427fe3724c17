using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Workflows;

namespace Screening.Web.Admin;

/// <summary>Runs the failed step again (after the cause, such as a definition or calendar, was fixed).</summary>
public sealed record RetryIncident(string Actor, Guid CaseId, string IncidentId) : ICommand<string>;

public sealed class RetryIncidentHandler(CaseCommands cases) : ICommandHandler<RetryIncident, string>
{
    public async ValueTask<string> Handle(RetryIncident command, CancellationToken cancellationToken)
    {
        var run = new CaseCommand(command.Actor, "incident.retried")
        {
            Data = new { incident = command.IncidentId },
            AlreadyDone = "The incident was already retried.",
            NotFound = "There is no such incident.",
        };
        var done = await cases.RunAsync(command.CaseId, run, loaded => loaded.Runner.Retry(loaded.Definition, loaded.Instance, command.IncidentId, command.Actor), cancellationToken)
            ?? throw new NotFoundException("There is no such case.");
        return done.Loaded.Record.Status;
    }
}
