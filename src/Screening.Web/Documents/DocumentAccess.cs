using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Screening.Web.Cases;
using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Documents;

/// <summary>A document as the API shows it; <c>jurisdiction</c> is set on jurisdiction documents only.</summary>
public sealed record DocumentView(Guid Id, string Name, string ContentType, long Size, string Sha256, [property: AllowedValues(DocumentClassifications.Applicant, DocumentClassifications.Government, DocumentClassifications.Jurisdiction)] string Classification, DateTimeOffset UploadedAt)
{
    public string? Jurisdiction { get; init; }

    /// <summary><c>filing</c>, <c>answer</c> (with <see cref="RequestId"/>) or <c>case</c>.</summary>
    [AllowedValues(DocumentPurposes.Filing, DocumentPurposes.Answer, DocumentPurposes.Case)]
    public string Purpose { get; init; } = DocumentPurposes.Filing;

    public Guid? RequestId { get; init; }
}

/// <summary>Who may see which documents of a case, and how a document's name is made safe to show.</summary>
public static class DocumentAccess
{
    public const int MaxName = 200;

    public static DocumentView View(DocumentRecord d) =>
        new(d.Id, d.Name, d.ContentType, d.Size, d.Sha256, d.Classification, CaseViews.Utc(d.UploadedAt))
        {
            Jurisdiction = d.Classification == DocumentClassifications.Jurisdiction ? d.Jurisdiction : null,
            Purpose = d.Purpose,
            RequestId = d.RequestId,
        };

    /// <summary>
    /// The documents of a case a caller who may read the case may see: an applicant the applicant documents
    /// (nothing else, not even that more exist), an official those and the governments' and their own
    /// jurisdiction's, an administrator all.
    /// </summary>
    public static IQueryable<DocumentRecord> VisibleTo(IQueryable<DocumentRecord> documents, CurrentUser user)
    {
        if (user.IsAdmin)
        {
            return documents;
        }

        if (user.IsOfficial && user.Jurisdiction is { } jurisdiction)
        {
            return documents.Where(d => d.Classification != DocumentClassifications.Jurisdiction || d.Jurisdiction == jurisdiction);
        }

        return documents.Where(d => d.Classification == DocumentClassifications.Applicant);
    }

    /// <summary>Whether reading the document is recorded in the audit trail: every read of one the applicant may not see.</summary>
    public static bool IsRestricted(DocumentRecord document) => document.Classification != DocumentClassifications.Applicant;

    /// <summary>
    /// The display name of an uploaded file: its last path segment, letters, digits, spaces and <c>._-()+,</c> only
    /// (markup, quotes, control and bidirectional characters become <c>_</c>), at most 200 characters, ending in
    /// an extension of the format its content is.
    /// </summary>
    public static string SafeName(string? uploaded, DocumentFormat format)
    {
        var name = (uploaded ?? string.Empty).Normalize(NormalizationForm.FormC);
        name = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var category = char.GetUnicodeCategory(c);
            var plain = char.IsLetterOrDigit(c) && category is not UnicodeCategory.Format
                || c is ' ' or '.' or '_' or '-' or '(' or ')' or '+' or ',';
            clean.Append(plain ? c : '_');
        }

        var safe = clean.ToString().Trim(' ', '.');
        var extension = Path.GetExtension(safe);
        if (!format.Extensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            extension = format.Extensions[0];
            safe += extension;
        }

        var stem = safe[..^extension.Length].TrimEnd(' ', '.');
        if (stem.Length == 0)
        {
            stem = "document";
        }

        if (stem.Length + extension.Length > MaxName)
        {
            stem = stem[..(MaxName - extension.Length)];
        }

        return stem + extension;
    }
}
