using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;

namespace Screening.Web.Admin;

/// <summary>The incident retry route's body: RetryIncident answers with the instance's status alone, and only the route wraps it.</summary>
public sealed record RetryResult(string InstanceStatus);

public static class AdminEndpoints
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder routes, bool simulatedClock)
    {
        var group = routes.MapGroup("/api/admin").WithTags("Administration").RequireAuthorization(Policies.Admin);
        if (simulatedClock)
        {
            group.MapPost("/clock/advance", async Task<Ok<ClockView>> (AdvanceBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
                TypedResults.Ok(await mediator.Send(new AdvanceClock(CurrentUser.From(context.User).Id, body.Days, body.Minutes), cancellationToken)))
            .WithSummary("Move simulated time forward");
        }

        group.MapGet("/clock", Ok<ClockView> (TimeProvider time) => TypedResults.Ok(new ClockView(time.GetUtcNow(), simulatedClock, 0)))
            .WithSummary("The host's clock");

        group.MapGet("/consistency", async Task<Ok<ConsistencyReport>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new CheckConsistency(), cancellationToken)))
            .WithSummary("Check stored state for inconsistencies");
        group.MapPost("/backup", async Task<Ok<BackupResult>> (HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new BackupDatabases(CurrentUser.From(context.User).Id), cancellationToken)))
            .WithSummary("Back up the databases");

        group.MapGet("/users", async Task<Ok<IReadOnlyList<UserView>>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListUsers(), cancellationToken)))
            .WithSummary("List users");
        group.MapPost("/users", async Task<Created<UserView>> (OfficialBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var user = await mediator.Send(new CreateOfficial(CurrentUser.From(context.User).Id, body), cancellationToken);
            return TypedResults.Created($"/api/admin/users/{user.Id}", user);
        }).WithSummary("Create an official's account");
        group.MapPut("/users/{id}/role", async Task<Ok<UserView>> (string id, RoleBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new SetUserRole(CurrentUser.From(context.User).Id, id, body.Role, body.Jurisdiction), cancellationToken)))
            .WithSummary("Set a user's role and jurisdiction");
        group.MapPost("/users/{id}/lock", async Task<Ok<UserView>> (string id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new LockUser(CurrentUser.From(context.User).Id, id, true), cancellationToken)))
            .WithSummary("Lock a user out");
        group.MapPost("/users/{id}/unlock", async Task<Ok<UserView>> (string id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new LockUser(CurrentUser.From(context.User).Id, id, false), cancellationToken)))
            .WithSummary("Unlock a user");
        group.MapPost("/users/{id}/reset-two-factor", async Task<Ok<UserView>> (string id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ResetTwoFactor(CurrentUser.From(context.User).Id, id), cancellationToken)))
            .WithSummary("Reset a user's second factor (they enrol again)");

        group.MapGet("/incidents", async Task<Ok<IReadOnlyList<IncidentView>>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListIncidents(), cancellationToken)))
            .WithSummary("List workflow incidents");
        group.MapPost("/incidents/{caseId:guid}/{incidentId}/retry", async Task<Ok<RetryResult>> (Guid caseId, string incidentId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(new RetryResult(await mediator.Send(new RetryIncident(CurrentUser.From(context.User).Id, caseId, incidentId), cancellationToken))))
            .WithSummary("Retry a failed workflow step");
        return group;
    }
}
