using System.Text.Json;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Hosting;
using Screening.Web.Identity;

namespace Screening.Web.Cases;

public static class CaseEndpoints
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 32, AllowDuplicateProperties = false };

    public static RouteGroupBuilder MapCases(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cases").WithTags("Cases").RequireAuthorization();

        group.MapPost("/", async Task<Created<SubmittedCase>> (HttpRequest request, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var filing = await ReadJsonAsync(request, cancellationToken);
            var key = request.Headers["Idempotency-Key"].FirstOrDefault();
            var submitted = await mediator.Send(new SubmitCase(CurrentUser.From(request.HttpContext.User).Id, filing, key), cancellationToken);
            return TypedResults.Created($"/api/cases/{submitted.Id}", submitted);
        }).RequireAuthorization(Policies.Applicant).Accepts<JsonObject>("application/json")
            .WithMetadata(new OpenApiBodySchema(OpenApiContract.FilingSchema), new AcceptsIdempotencyKey())
            .WithSummary("Submit a filing");

        group.MapPost("/initiated", async Task<Created<SubmittedCase>> (HttpRequest request, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var body = await ReadJsonAsync(request, cancellationToken);
            var opened = await mediator.Send(new OpenCase(CurrentUser.From(request.HttpContext.User), body), cancellationToken);
            return TypedResults.Created($"/api/cases/{opened.Id}", opened);
        }).RequireAuthorization(Policies.Official).Accepts<JsonObject>("application/json")
            .WithMetadata(new OpenApiBodySchema(OpenApiContract.InitiatedFilingSchema))
            .WithSummary("Open a case on the government's own initiative");

        group.MapGet("/", async Task<Ok<IReadOnlyList<CaseSummary>>> (HttpContext context, IMediator mediator, int? page, int? pageSize, CancellationToken cancellationToken) =>
        {
            var result = await mediator.Send(new ListCases(CurrentUser.From(context.User), page ?? 1, pageSize ?? 20), cancellationToken);
            context.Response.Headers["X-Total-Count"] = result.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(result.Items);
        }).WithSummary("List the cases the caller may see");

        // The view's JSON is kept with the view (GetCaseHandler), so it is sent as bytes; the contract is CaseView.
        group.MapGet("/{id:guid}", async Task<FileContentHttpResult> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Bytes(await mediator.Send(new GetCaseJson(CurrentUser.From(context.User), id), cancellationToken), "application/json; charset=utf-8"))
            .Produces<CaseView>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Get a case");

        group.MapPost("/{id:guid}/withdraw", async Task<Ok<SubmittedCase>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new WithdrawCase(CurrentUser.From(context.User), id), cancellationToken)))
            .RequireAuthorization(Policies.Applicant)
            .WithSummary("Withdraw a case");

        group.MapPost("/{id:guid}/requests/{requestId:guid}/response", async Task<Ok<SubmittedCase>> (Guid id, Guid requestId, AnswerBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new AnswerRequest(CurrentUser.From(context.User), id, requestId, body.Answer, body.DocumentIds), cancellationToken)))
            .RequireAuthorization(Policies.Applicant)
            .WithSummary("Answer a request for information");

        group.MapPost("/{id:guid}/notes", async Task<Created<NoteView>> (Guid id, NoteBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var note = await mediator.Send(new AddNote(CurrentUser.From(context.User), id, body), cancellationToken);
            return TypedResults.Created($"/api/cases/{id}", note);
        }).RequireAuthorization(Policies.Official)
            .WithSummary("Add an officer's note to a case");

        return group;
    }

    /// <summary>
    /// GET /api/reference-data: public (the codes and names are no secret, and the filing form needs them before
    /// sign-in), and the same for every caller, so shared caches may keep it; If-None-Match with its tag is a 304.
    /// </summary>
    public static RouteHandlerBuilder MapReferenceData(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/reference-data", async Task<Results<FileContentHttpResult, StatusCodeHttpResult>> (HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var document = await mediator.Send(new GetReferenceData(), cancellationToken);
            context.Response.Headers.ETag = document.ETag;
            context.Response.Headers.CacheControl = "public, max-age=3600";
            var tags = context.Request.GetTypedHeaders().IfNoneMatch;
            // If-None-Match compares weakly: W/"x" matches "x".
            if (tags.Any(t => t.Equals(Microsoft.Net.Http.Headers.EntityTagHeaderValue.Any) || t.Tag.Equals(document.ETag, StringComparison.Ordinal)))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.Bytes(document.Json, "application/json; charset=utf-8");
        }).AllowAnonymous().WithTags("Reference data").Produces<ReferenceDataView>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Every code a filing accepts");

    /// <summary>Reads a JSON body as a document (so validation can report every bad field by path).</summary>
    public static async Task<JsonNode?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProblemUnsupportedMediaTypeException();
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, documentOptions: BodyOptions, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw ValidationFailedException.For(string.IsNullOrEmpty(ex.Path) ? "$" : ex.Path, $"The body is not valid JSON: {ex.Message.Split(" Path:")[0]}");
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check decodes every name, and a lone surrogate escape cannot be decoded.
            throw ValidationFailedException.For("$", "The body holds text that is not valid Unicode.");
        }

        CheckText(node, "$");
        return node;
    }

    /// <summary>Reads every name and string once, so text that is not valid Unicode is refused here, by path.</summary>
    private static void CheckText(JsonNode? node, string path)
    {
        try
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj)
                    {
                        CheckText(value, $"{path}.{name}");
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        CheckText(array[i], $"{path}[{i}]");
                    }

                    break;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    _ = value.GetValue<string>();
                    break;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            throw ValidationFailedException.For(path, "This holds text that is not valid Unicode.");
        }
    }
}

/// <summary>415: the body is not JSON.</summary>
public sealed class ProblemUnsupportedMediaTypeException()
    : ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", "Send the body as application/json.");
