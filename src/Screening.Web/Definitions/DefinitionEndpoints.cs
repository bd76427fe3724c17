using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;

namespace Screening.Web.Definitions;

public static class DefinitionEndpoints
{
    public static RouteGroupBuilder MapDefinitions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/workflow-definitions").WithTags("Workflow definitions").RequireAuthorization(Policies.Admin);

        group.MapGet("/", async Task<Ok<IReadOnlyList<DefinitionSummary>>> (IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListDefinitions(), cancellationToken)))
            .WithSummary("List workflow definitions");

        group.MapGet("/{key}", async Task<Ok<JsonNode>> (string key, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetDefinition(key, null), cancellationToken)))
            .WithMetadata(new OpenApiResponseSchema(OpenApiContract.WorkflowDefinitionSchema))
            .WithSummary("Get the published definition");

        group.MapGet("/{key}/versions/{version:int}", async Task<Ok<JsonNode>> (string key, int version, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetDefinition(key, version), cancellationToken)))
            .WithMetadata(new OpenApiResponseSchema(OpenApiContract.WorkflowDefinitionSchema))
            .WithSummary("Get one version of a definition");

        group.MapPut("/{key}/draft", async Task<Ok<DraftSaved>> (string key, HttpRequest request, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var body = await CaseEndpoints.ReadJsonAsync(request, cancellationToken);
            return TypedResults.Ok(await mediator.Send(new SaveDraft(CurrentUser.From(request.HttpContext.User).Id, key, body), cancellationToken));
        }).Accepts<JsonObject>("application/json")
            .WithMetadata(new OpenApiBodySchema(OpenApiContract.WorkflowDefinitionSchema))
            .WithSummary("Save a draft definition");

        group.MapPost("/validate", async Task<Ok<ValidationResult>> (HttpRequest request, IMediator mediator, CancellationToken cancellationToken) =>
        {
            using var reader = new StreamReader(request.Body);
            var json = await reader.ReadToEndAsync(cancellationToken);
            var result = await mediator.Send(new ValidateDefinition(json), cancellationToken);
            return TypedResults.Ok(result with { Definition = null });
        }).Accepts<JsonObject>("application/json")
            .WithMetadata(new OpenApiBodySchema(OpenApiContract.WorkflowDefinitionSchema))
            .WithSummary("Validate a definition without saving it");

        group.MapPost("/{key}/publish", async Task<Ok<Published>> (string key, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new PublishDefinition(CurrentUser.From(context.User).Id, key), cancellationToken)))
            .WithSummary("Publish the draft as a new version");

        return group;
    }
}
