using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Identity;

namespace Screening.Web.Documents;

public static class DocumentEndpoints
{
    // A downloaded document is never a page of this site: no scripts, no plugins, no same-origin rights.
    private const string DownloadPolicy = "default-src 'none'; sandbox";

    public static RouteGroupBuilder MapDocuments(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/cases/{id:guid}/documents").WithTags("Documents").RequireAuthorization();

        // The body is read here, part by part, once the caller is known to be allowed (SameSite cookies keep other sites' forms out).
        group.MapPost("/", async Task<Created<DocumentView>> (Guid id, HttpRequest request, IMediator mediator, IContentStore store, IOptions<ScreeningOptions> options, CancellationToken cancellationToken) =>
        {
            var user = CurrentUser.From(request.HttpContext.User);
            var declared = request.ContentLength is { } length ? Math.Max(1, length - DocumentForm.FormOverhead) : (long?)null;
            await mediator.Send(new PrepareUpload(user, id, declared), cancellationToken);
            using var form = await DocumentForm.ReadAsync(request, store, options.Value.Documents, cancellationToken);
            var document = await mediator.Send(new UploadDocument(user, id, form.File, form.FileName, form.Classification), cancellationToken);
            return TypedResults.Created($"/api/cases/{id}/documents/{document.Id}", document);
        }).RequireAuthorization(Policies.CaseParty).WithMetadata(new OpenApiDocumentUpload())
            .WithSummary("Attach a document to a case");

        group.MapGet("/", async Task<Ok<IReadOnlyList<DocumentView>>> (Guid id, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
            TypedResults.Ok(await mediator.Send(new ListDocuments(CurrentUser.From(context.User), id), cancellationToken)))
            .WithSummary("List the documents of a case the caller may see");

        group.MapGet("/{documentId:guid}", async Task<FileStreamHttpResult> (Guid id, Guid documentId, HttpContext context, IMediator mediator, CancellationToken cancellationToken) =>
        {
            var download = await mediator.Send(new DownloadDocument(CurrentUser.From(context.User), id, documentId), cancellationToken);
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "private, no-store";
            return TypedResults.File(download.Content, download.Document.ContentType, download.Document.Name);
        }).WithMetadata(new OpenApiDocumentDownload(), new ContentSecurityPolicyMetadata(DownloadPolicy))
            .WithSummary("Download a document");

        return group;
    }
}
