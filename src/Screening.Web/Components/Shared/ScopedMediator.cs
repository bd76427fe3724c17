using Mediator;

namespace Screening.Web.Components.Shared;

/// <summary>
/// Sends commands and queries from interactive components, each in a scope of its own: a circuit lives
/// for minutes, and its DbContext must not outlive one operation or serve two at once.
/// </summary>
public sealed class ScopedMediator(IServiceScopeFactory scopes)
{
    public async Task<T> SendAsync<T>(ICommand<T> command)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command);
    }

    public async Task<T> SendAsync<T>(IQuery<T> query)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(query);
    }
}
