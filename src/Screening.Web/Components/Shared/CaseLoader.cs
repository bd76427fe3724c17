using Mediator;
using Microsoft.AspNetCore.Components.Authorization;
using Screening.Web.Cases;
using Screening.Web.Hosting;
using Screening.Web.Identity;

namespace Screening.Web.Components.Shared;

/// <summary>Loads a case through the same query as the API; null when it is not the caller's (shown as not found).</summary>
public static class CaseLoader
{
    public static async Task<CaseView?> LoadAsync(IMediator mediator, Task<AuthenticationState> state, Guid id)
    {
        try
        {
            return await mediator.Send(new GetCase(CurrentUser.From((await state).User), id));
        }
        catch (NotFoundException)
        {
            return null;
        }
    }
}
