using System.Diagnostics;
using Mediator;

namespace Screening.Web.Hosting;

/// <summary>Logs each command and query with its duration, and refusals at information level.</summary>
public sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger) : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        var name = typeof(TMessage).Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, cancellationToken);
            logger.LogDebug("{Message} handled in {Elapsed:0.0} ms", name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (ProblemException ex)
        {
            logger.LogInformation("{Message} refused ({Status}): {Detail}", name, ex.Status, ex.Message);
            throw;
        }
    }
}
