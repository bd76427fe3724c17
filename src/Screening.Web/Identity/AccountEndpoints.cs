using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;

namespace Screening.Web.Identity;

/// <summary>Cookie sign-out (a form post with an anti-forgery token) and the remembered language choice.</summary>
public static class AccountEndpoints
{
    public static readonly string[] Languages = ["en", "fr", "es"];

    public static IEndpointRouteBuilder MapAccount(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/account/logout", async (SignInManager<ScreeningUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.LocalRedirect("/");
        }).ExcludeFromDescription();

        routes.MapGet("/culture", (string? lang, string? returnUrl, HttpContext context) =>
        {
            var culture = Languages.Contains(lang) ? lang! : "en";
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
            var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal) ? returnUrl : "/";
            return TypedResults.LocalRedirect(target);
        }).ExcludeFromDescription();

        return routes;
    }
}
