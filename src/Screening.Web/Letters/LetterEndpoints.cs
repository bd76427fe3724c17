using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Screening.Web.Identity;

namespace Screening.Web.Letters;

public static class LetterEndpoints
{
    public static IEndpointRouteBuilder MapLetters(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/cases/{id:guid}/letters", async Task<Ok<IReadOnlyList<LetterView>>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListLetters(CurrentUser.From(context.User), id), cancellationToken)))
            .RequireAuthorization().WithTags("Letters")
            .WithSummary("The letters of a case (each a PDF document of the case)");

        var admin = routes.MapGroup("/api/admin/letter-templates").WithTags("Letters").RequireAuthorization(Policies.Admin);
        admin.MapGet("/{kind}/{language}", async Task<Ok<LetterTemplateView>> (string kind, string language, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new GetLetterTemplate(kind, language), cancellationToken)))
            .WithSummary("A letter template (Liquid) in one language");
        admin.MapPut("/{kind}/{language}", async Task<Ok<LetterTemplateView>> (string kind, string language, LetterTemplateBody body, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new PutLetterTemplate(CurrentUser.From(context.User).Id, kind, language, body.Template), cancellationToken)))
            .WithSummary("Replace a letter template (validated by parsing it)");
        return routes;
    }
}
