using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;

namespace Screening.Web.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/cases/{id:guid}/audit", async Task<Ok<IReadOnlyList<AuditEntryView>>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetCaseAudit(CurrentUser.From(context.User), id), cancellationToken)))
            .RequireAuthorization(Policies.AuditReader).WithTags("Audit")
            .WithSummary("A case's audit trail");

        routes.MapGet("/api/audit/verify", async Task<Ok<AuditVerification>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new VerifyAudit(), cancellationToken)))
            .RequireAuthorization(Policies.Admin).WithTags("Audit")
            .WithSummary("Verify the audit hash chain");

        return routes;
    }
}
