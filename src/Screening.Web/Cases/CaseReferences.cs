using System.Security.Cryptography;

namespace Screening.Web.Cases;

/// <summary>Case references: <c>SCR-2027-XXXXXXXX</c>.</summary>
public static class CaseReferences
{
    // Random, not sequential: references are unguessable and do not reveal how many cases exist.
    public static string New(DateTimeOffset now)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        var code = string.Create(8, bytes.ToArray(), (span, b) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[b[i] % alphabet.Length];
            }
        });
        return $"SCR-{now.Year}-{code}";
    }
}
