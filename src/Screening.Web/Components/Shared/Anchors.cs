using Microsoft.AspNetCore.Components;

namespace Screening.Web.Components.Shared;

/// <summary>
/// Links to a place on the page itself. The document's base is the site's root (<c>&lt;base href="/"&gt;</c>), so a
/// bare <c>#id</c> would lead to the home page: the link names the page's own address before the fragment.
/// </summary>
public static class Anchors
{
    public static string Here(this NavigationManager navigation, string id) => $"{new Uri(navigation.Uri).PathAndQuery}#{id}";
}
