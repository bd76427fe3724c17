using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Mediator;
using Microsoft.Extensions.Localization;
using Screening.Web.Identity;

namespace Screening.Web.Cases;

/// <summary>GET /api/reference-data: every code a filing accepts, with its names in English, French and Spanish.</summary>
public sealed record ReferenceDataView(
    IReadOnlyList<ListItem> Minerals,
    IReadOnlyList<ListItem> Technologies,
    IReadOnlyList<ListItem> Sectors,
    IReadOnlyList<ListItem> TransactionTypes,
    IReadOnlyList<ListItem> Countries,
    IReadOnlyList<ListItem> Jurisdictions,
    IReadOnlyList<string> Currencies);

/// <summary>The view as sent, and its entity tag.</summary>
public sealed record ReferenceDataDocument(ReferenceDataView View, byte[] Json, string ETag)
{
    private readonly Dictionary<string, ListItem> _countries = View.Countries.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>A country's name in a language; the code itself when it is not one a filing accepts.</summary>
    public string CountryName(string code, string language) => _countries.TryGetValue(code, out var item) ? item.Name(language) : code;
}

public sealed record GetReferenceData : IQuery<ReferenceDataDocument>;

public sealed class GetReferenceDataHandler(PublishedReferenceData published) : IQueryHandler<GetReferenceData, ReferenceDataDocument>
{
    public ValueTask<ReferenceDataDocument> Handle(GetReferenceData query, CancellationToken cancellationToken) => ValueTask.FromResult(published.Document);
}

/// <summary>
/// The lists change only with a new release (seed files and code), so the document is built once per process.
/// Country names come from the platform's ICU data (ISO 3166-1 alpha-2); a name the platform lacks in French
/// or Spanish is given in English, and one it lacks in English is the code itself.
/// </summary>
public sealed class PublishedReferenceData(ReferenceData reference, IStringLocalizer<Strings> strings)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lazy<ReferenceDataDocument> _document = new(() => Build(reference, strings));

    public ReferenceDataDocument Document => _document.Value;

    private static ReferenceDataDocument Build(ReferenceData reference, IStringLocalizer<Strings> strings)
    {
        var view = new ReferenceDataView(
            reference.Minerals,
            reference.Technologies,
            [.. ReferenceData.Sectors.Select(code => Localized(code, language => strings[$"sector:{code}"].Value))],
            [.. ReferenceData.TransactionTypes.Select(code => Localized(code, language => strings[$"type:{code}"].Value))],
            [.. ReferenceData.Countries.Order(StringComparer.Ordinal).Select(code => Localized(code, language => CountryName(code, language)))],
            [.. Jurisdictions.All.Select(code => Localized(code, language => CountryName(code, language)))],
            [.. ReferenceData.Currencies.Order(StringComparer.Ordinal)]);
        var json = JsonSerializer.SerializeToUtf8Bytes(view, Json);
        return new ReferenceDataDocument(view, json, $"\"{Convert.ToHexStringLower(SHA256.HashData(json))[..32]}\"");
    }

    /// <summary>A code's names, each read with the UI culture of its language (resources and ICU follow it).</summary>
    private static ListItem Localized(string code, Func<string, string?> name)
    {
        var original = CultureInfo.CurrentUICulture;
        try
        {
            string? In(string language)
            {
                CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(language);
                return name(language) is { Length: > 0 } text ? text : null;
            }

            var en = In("en") ?? code;
            return new ListItem(code, en, In("fr") ?? en, In("es") ?? en);
        }
        finally
        {
            CultureInfo.CurrentUICulture = original;
        }
    }

    private static string? CountryName(string code, string language)
    {
        try
        {
            // A region of a culture in that language ("fr-DE"): the platform caches names per culture, so each
            // language has a culture of its own and its name is read in the UI language just set.
            var region = new RegionInfo(language == "en" ? code : $"{language}-{code}");
            var name = language == "en" ? region.EnglishName : region.DisplayName;
            return name == code ? null : name;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
