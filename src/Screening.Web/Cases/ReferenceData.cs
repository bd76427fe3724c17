using System.Text.Json;

namespace Screening.Web.Cases;

/// <summary>A code with its names in the three languages.</summary>
public sealed record ListItem(string Code, string En, string Fr, string Es)
{
    public string Name(string language) => language switch
    {
        "fr" => Fr,
        "es" => Es,
        _ => En,
    };
}

/// <summary>The shipped lists a filing chooses from (seed/minerals.json, seed/technologies.json) and ISO country codes.</summary>
public sealed class ReferenceData
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public ReferenceData(IReadOnlyList<ListItem> minerals, IReadOnlyList<ListItem> technologies)
    {
        Minerals = minerals;
        Technologies = technologies;
        MineralCodes = minerals.Select(m => m.Code).ToHashSet(StringComparer.Ordinal);
        TechnologyCodes = technologies.Select(t => t.Code).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<ListItem> Minerals { get; }

    public IReadOnlyList<ListItem> Technologies { get; }

    public IReadOnlySet<string> MineralCodes { get; }

    public IReadOnlySet<string> TechnologyCodes { get; }

    public static ReferenceData Load(string seedDirectory) => new(
        JsonSerializer.Deserialize<List<ListItem>>(File.ReadAllText(Path.Combine(seedDirectory, "minerals.json")), Json)!,
        JsonSerializer.Deserialize<List<ListItem>>(File.ReadAllText(Path.Combine(seedDirectory, "technologies.json")), Json)!);

    public static IReadOnlyList<string> TransactionTypes { get; } =
        ["acquisition-of-control", "minority-investment", "asset-purchase", "joint-venture", "greenfield"];

    public static IReadOnlyList<string> Sectors { get; } =
        ["critical-minerals", "energy-transition-technology", "mining-services", "processing-and-refining", "other"];

    /// <summary>ISO 3166-1 alpha-2 codes (officially assigned).</summary>
    public static IReadOnlySet<string> Countries { get; } = """
        AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
        CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
        GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
        JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
        MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
        RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
        TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// ISO 4217 codes of currencies in circulation. Funds, precious metals, bond-market units and the testing and
    /// no-currency codes (BOV, XAU, XBA, XTS, XXX, ...) are left out: a transaction's value is a sum of money.
    /// </summary>
    public static IReadOnlySet<string> Currencies { get; } = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
        CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG
        HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
        MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD
        RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX
        USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}
