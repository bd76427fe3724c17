using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Screening.Web.Hosting;

/// <summary>
/// A client error that leaves with nothing written, whoever set its status (routing, binding, antiforgery, a
/// component endpoint that named a content type and wrote nothing), gets a problem document. The status-code
/// pages middleware does this only where no content type was set; this catches the rest. Pages a person reads
/// keep their own not-found page, and HEAD answers keep no body. What Kestrel refuses before the application runs
/// (a NUL in the path, a malformed request line or header) never comes here: docs/api.md lists it.
/// </summary>
public sealed class EmptyErrorProblemsMiddleware(RequestDelegate next, IProblemDetailsService problems, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var response = context.Response;
        if (response.HasStarted || response.StatusCode is < 400 or >= 500 || HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        response.ContentType = null;
        response.ContentLength = null;
        var problem = response.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["$"] = ["The request could not be read."] }) { Detail = "The request could not be read as sent." }
            : new ProblemDetails();
        problem.Status = response.StatusCode;
        if (!await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The client's Accept names no JSON; a problem document still says more than an empty body.
            ProblemVocabulary.Apply(problem);
            await response.WriteAsJsonAsync(problem, problem.GetType(), json.Value.SerializerOptions, "application/problem+json", context.RequestAborted);
        }
    }
}
