using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;

namespace Screening.Web.Reviews;

public static class TaskEndpoints
{
    public static RouteGroupBuilder MapTasks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/tasks").WithTags("Review queues").RequireAuthorization(Policies.Official);

        // A page's JSON is kept with the page (ListTasksHandler), so it is sent as bytes; the contract is a list of TaskView.
        group.MapGet("/", async Task<FileContentHttpResult> (HttpContext context, IMediator mediator, string? scope, Guid? caseId, int? page, int? pageSize, CancellationToken cancellationToken) =>
            TypedResults.Bytes(await mediator.Send(new ListTasksJson(new ListTasks(CurrentUser.From(context.User), scope ?? "available", caseId, page ?? 1, pageSize ?? 50)), cancellationToken), "application/json; charset=utf-8"))
            .Produces<IReadOnlyList<TaskView>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("List review tasks");

        group.MapGet("/{id:guid}", async Task<Ok<TaskView>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetTask(CurrentUser.From(context.User), id), cancellationToken)))
            .WithSummary("Get a task");

        group.MapPost("/{id:guid}/claim", async Task<Ok<TaskView>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ClaimTask(CurrentUser.From(context.User), id), cancellationToken)))
            .WithSummary("Claim a task");

        group.MapPost("/{id:guid}/release", async Task<Ok<TaskView>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ReleaseTask(CurrentUser.From(context.User), id), cancellationToken)))
            .WithSummary("Release a claimed task");

        group.MapPost("/{id:guid}/complete", async Task<Ok<TaskView>> (Guid id, CompleteBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new CompleteTask(CurrentUser.From(context.User), id, body), cancellationToken)))
            .WithSummary("Complete a task with an outcome");

        group.MapPost("/{id:guid}/request-information", async Task<Ok<InformationRequested>> (Guid id, InformationBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new RequestInformation(CurrentUser.From(context.User), id, body), cancellationToken)))
            .WithSummary("Ask the applicant for information");

        routes.MapGet("/api/dashboard", async Task<Ok<DashboardView>> (HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetDashboard(CurrentUser.From(context.User)), cancellationToken)))
            .RequireAuthorization(Policies.AuditReader).WithTags("Review queues")
            .WithSummary("Case counts and deadlines for officials");

        return group;
    }
}
