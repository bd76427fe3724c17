using Mediator;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

/// <summary>The applicant withdraws a case that has no decision yet: every open task, request and timer is cancelled.</summary>
public sealed record WithdrawCase(CurrentUser User, Guid CaseId) : ICommand<SubmittedCase>;

public sealed class WithdrawCaseHandler(CaseCommands cases) : ICommandHandler<WithdrawCase, SubmittedCase>
{
    public async ValueTask<SubmittedCase> Handle(WithdrawCase command, CancellationToken cancellationToken)
    {
        var run = new CaseCommand(command.User.Id, "case.withdrawn");
        var done = await cases.RunAsync(command.CaseId, run, loaded =>
        {
            if (loaded.Case.ApplicantId != command.User.Id)
            {
                throw new NotFoundException("There is no such case.");
            }

            if (loaded.Instance.Decision is not null || loaded.Instance.Status == WorkflowStatus.Finished)
            {
                throw new ConflictException($"The case is {loaded.Case.Status}; only a case without a decision can be withdrawn.");
            }

            // The pipeline names the event that stands for a withdrawal; one that names none cannot be withdrawn from.
            return CaseBindings.Of(loaded.Definition).WithdrawEvent is { } withdraw
                ? loaded.Runner.RaiseEvent(loaded.Definition, loaded.Instance, withdraw, command.User.Id)
                : throw new ConflictException("This case's pipeline does not provide for a withdrawal.");
        }, cancellationToken) ?? throw new NotFoundException("There is no such case.");
        return new SubmittedCase(done.Loaded.Case.Id, done.Loaded.Case.Reference, done.Loaded.Case.Status);
    }
}
