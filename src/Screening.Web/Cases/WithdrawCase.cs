using Mediator;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Cases;

/// <summary>The applicant withdraws a case that has no decision yet: every open task, request and timer is cancelled.</summary>
public sealed record WithdrawCase(CurrentUser User, Guid CaseId) : ICommand<SubmittedCase>;

public sealed class WithdrawCaseHandler(CaseWorkflow workflow, UnitOfWork unitOfWork, AuditTrail audit) : ICommandHandler<WithdrawCase, SubmittedCase>
{
    public async ValueTask<SubmittedCase> Handle(WithdrawCase command, CancellationToken cancellationToken)
    {
        var loaded = await workflow.LoadAsync(command.CaseId, command.User.Id, cancellationToken);
        if (loaded is null || loaded.Case.ApplicantId != command.User.Id)
        {
            throw new NotFoundException("There is no such case.");
        }

        if (loaded.Instance.Decision is not null || loaded.Instance.Status == WorkflowStatus.Finished)
        {
            throw new ConflictException($"The case is {loaded.Case.Status}; only a case without a decision can be withdrawn.");
        }

        var result = loaded.Runner.RaiseEvent(loaded.Definition, loaded.Instance, "withdraw", command.User.Id);
        if (!result.Succeeded)
        {
            throw new ConflictException(result.Message ?? "The case cannot be withdrawn now.");
        }

        audit.Record(command.User.Id, "case.withdrawn", loaded.Case.Id);
        workflow.Store(loaded, command.User.Id);
        await unitOfWork.CommitAsync(cancellationToken);
        return new SubmittedCase(loaded.Case.Id, loaded.Case.Reference, loaded.Case.Status);
    }
}
