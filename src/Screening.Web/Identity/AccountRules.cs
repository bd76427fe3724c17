using System.ComponentModel.DataAnnotations;

namespace Screening.Web.Identity;

/// <summary>Limits on account fields, shared by registration and the creation of officials.</summary>
public static class AccountRules
{
    public const int MaxEmail = 256;
    public const int MaxPassword = 128;
    public const int MaxName = 200;

    /// <summary>
    /// An address as <see cref="EmailAddressAttribute"/> reads one, with no control character in it (which it lets
    /// through, and which PostgreSQL cannot store in text at all).
    /// </summary>
    public static bool IsEmail(string email) => new EmailAddressAttribute().IsValid(email) && !email.Any(char.IsControl);

    public static void Check(string? email, string? password, string? name, Dictionary<string, string[]> errors)
    {
        if (email is { Length: > MaxEmail })
        {
            errors["$.email"] = [$"An email address is at most {MaxEmail} characters."];
        }
        else if (email is { } e && !IsEmail(e))
        {
            errors["$.email"] = ["This is not an email address."];
        }

        if (password is { Length: > MaxPassword })
        {
            errors["$.password"] = [$"A password is at most {MaxPassword} characters."];
        }

        if (name is { Length: > MaxName } || (name is { } n && n.Any(char.IsControl)))
        {
            errors["$.displayName"] = [$"A name is at most {MaxName} characters of text."];
        }
    }
}
