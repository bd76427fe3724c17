using System.ComponentModel.DataAnnotations;

namespace Screening.Web.Identity;

/// <summary>Limits on account fields, shared by registration and the creation of officials.</summary>
public static class AccountRules
{
    public const int MaxEmail = 256;
    public const int MaxPassword = 128;
    public const int MaxName = 200;

    public static void Check(string? email, string? password, string? name, Dictionary<string, string[]> errors)
    {
        if (email is { Length: > MaxEmail })
        {
            errors["$.email"] = [$"An email address is at most {MaxEmail} characters."];
        }
        else if (email is { } e && !new EmailAddressAttribute().IsValid(e))
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
