using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Screening.Web.Hosting;

/// <summary>A request that cannot be carried out, mapped to an RFC 9457 problem document.</summary>
public abstract class ProblemException(int status, string title, string detail, string? type = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    /// <summary>A type URI of its own; without one, the status's shared type and title apply (<see cref="ProblemVocabulary"/>).</summary>
    public string? Type { get; } = type;
}

/// <summary>400: fields that are wrong, keyed by JSON path.</summary>
public class ValidationFailedException(IDictionary<string, string[]> errors, string? detail = null)
    : ProblemException(StatusCodes.Status400BadRequest, "The request is not valid.", detail ?? "One or more fields are wrong; see 'errors'.")
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    /// <summary>Extra members of the problem document.</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public static ValidationFailedException For(string path, string message) => new(new Dictionary<string, string[]> { [path] = [message] });
}

/// <summary>404: not found, or not yours.</summary>
public sealed class NotFoundException(string detail) : ProblemException(StatusCodes.Status404NotFound, "Not found.", detail);

/// <summary>403: signed in but not allowed.</summary>
public sealed class ForbiddenException(string detail) : ProblemException(StatusCodes.Status403Forbidden, "Forbidden.", detail);

/// <summary>409: conflicts with the current state.</summary>
public sealed class ConflictException(string detail) : ProblemException(StatusCodes.Status409Conflict, "Conflict with the current state.", detail);

/// <summary>413: a body, or what it would add, is over a limit.</summary>
public sealed class TooLargeException(string detail) : ProblemException(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", detail);

/// <summary>415: content of a type this endpoint does not take.</summary>
public sealed class UnsupportedContentException(string detail) : ProblemException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", detail);

/// <summary>422: an Idempotency-Key used again with a different body (the IETF Idempotency-Key header draft, section 2.7).</summary>
public sealed class IdempotencyKeyReusedException()
    : ProblemException(
        StatusCodes.Status422UnprocessableEntity,
        "Idempotency key already used.",
        "This Idempotency-Key was already used with a different filing. A retry must send the same filing; a new filing needs a new key.",
        "https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-idempotency-key-header#section-2.7");

/// <summary>Turns exceptions into problem documents; nothing becomes a bare 500 with internals in it.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            ValidationFailedException v => WithExtensions(new HttpValidationProblemDetails(v.Errors) { Status = v.Status, Title = v.Title, Detail = v.Message }, v.Extensions),
            ProblemException p => new ProblemDetails { Status = p.Status, Title = p.Title, Detail = p.Message, Type = p.Type },
            DbUpdateConcurrencyException => new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Conflict with the current state.",
                Detail = "Someone changed this at the same moment; reload and try again.",
            },
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => JsonProblem(json),
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            logger.LogError(exception, "Unhandled error on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Something went wrong on our side.",
                Detail = "The error was logged; nothing you sent was the cause.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails WithExtensions(ProblemDetails problem, IDictionary<string, object?> extensions)
    {
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "The request body is too large.", Detail = "Bodies are limited to 1 MB." };
        }

        if (bad.InnerException is JsonException json)
        {
            return JsonProblem(json);
        }

        return bad.StatusCode == StatusCodes.Status400BadRequest
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["$"] = ["A JSON body of the expected shape is required."] })
            {
                Status = 400,
                Title = "The request is not valid.",
                Detail = bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) ? "A JSON body is required." : bad.Message,
            }
            : new ProblemDetails { Status = bad.StatusCode, Title = "The request is not valid.", Detail = bad.Message };
    }

    private static HttpValidationProblemDetails JsonProblem(JsonException json)
    {
        var path = string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [path] = ["This is not valid JSON of the expected shape."] })
        {
            Status = 400,
            Title = "The request is not valid.",
            Detail = "The body could not be read as JSON of the expected shape.",
        };
    }
}

/// <summary>Typed results shared by endpoints.</summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: 404, title: "Not found.");
}
