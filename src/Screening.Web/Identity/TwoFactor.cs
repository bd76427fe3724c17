using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using QRCoder;

namespace Screening.Web.Identity;

/// <summary>
/// Who needs a second factor, and the pieces of an authenticator enrolment (decision 0018). Codes are checked by
/// Identity's authenticator token provider, which counts 30-second steps on the real clock, never the simulated one.
/// </summary>
public static class TwoFactor
{
    /// <summary>Longest code or recovery code read; anything longer is a bad request, not a guess.</summary>
    public const int MaxCodeLength = 64;

    public const int RecoveryCodeCount = 10;

    private const string Issuer = "Screening";

    /// <summary>Officials and administrators sign in with a second factor; applicants may opt in.</summary>
    public static bool IsRequiredFor(IEnumerable<string> roles) =>
        roles.Any(r => r is Roles.Officer or Roles.DecisionMaker or Roles.Admin);

    public static async Task<bool> IsRequiredForAsync(UserManager<ScreeningUser> users, ScreeningUser user) =>
        IsRequiredFor(await users.GetRolesAsync(user));

    /// <summary>A code as people type it: "123 456" or "12345-6789" work as well.</summary>
    public static string Normalize(string code) => code.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

    /// <summary>Recovery codes are stored upper-case with their hyphen ("ABCDE-FGHIJ").</summary>
    public static string NormalizeRecoveryCode(string code) => code.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>The shared key in groups of four, as authenticator apps ask for it typed.</summary>
    public static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    /// <summary>The otpauth URI an authenticator app reads from the QR code (RFC 6238, SHA-1, 6 digits, 30 s).</summary>
    public static string AuthenticatorUri(string email, string key) => string.Format(
        CultureInfo.InvariantCulture,
        "otpauth://totp/{0}:{1}?secret={2}&issuer={0}&digits=6",
        Uri.EscapeDataString(Issuer),
        Uri.EscapeDataString(email),
        key);

    /// <summary>The QR code of <see cref="AuthenticatorUri"/> as a PNG data URI, so the page needs no image route.</summary>
    public static string QrCodeDataUri(string email, string key)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(AuthenticatorUri(email, key), QRCodeGenerator.ECCLevel.Q);
        var png = new PngByteQRCode(data).GetGraphic(5);
        return "data:image/png;base64," + Convert.ToBase64String(png);
    }

    /// <summary>
    /// Remembers, for the next page, that this browser gave the right password of a user who still has to give (or
    /// enrol) a second factor: the same short-lived cookie Identity writes when it answers "two-factor required".
    /// </summary>
    public static Task RememberPasswordStepAsync(HttpContext context, ScreeningUser user)
    {
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        return context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }
}
