using System.Net;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// GET /api/reference-data: every code a filing accepts with names in three languages, public, and cacheable by
/// its entity tag. One host for the class: nothing here changes state.
/// </summary>
public sealed class ReferenceDataTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private static readonly int ReferenceCountryCount = Screening.Web.Cases.ReferenceData.Countries.Count;

    private static readonly string[] Lists = ["minerals", "technologies", "sectors", "transactionTypes", "countries"];

    [Fact]
    public async Task AnyoneGetsEveryListWithACodeAndNamesInThreeLanguages()
    {
        var response = await factory.Anonymous().RawGet("/api/reference-data");

        var body = response.AssertSuccess().AsObject();
        foreach (var list in Lists)
        {
            var items = body[list]!.AsArray();
            Assert.NotEmpty(items);
            foreach (var item in items)
            {
                Assert.Equal(["code", "en", "fr", "es"], item!.AsObject().Select(p => p.Key));
                Assert.All(new[] { "code", "en", "fr", "es" }, key => Assert.False(string.IsNullOrWhiteSpace(item.S(key)), $"{list}: {item.ToJsonString()}"));
            }
        }

        Assert.Equal(("Lithium", "Lithium", "Litio"), Names(body, "minerals", "lithium"));
        Assert.Equal(("Critical minerals", "Minerales críticos"), (Names(body, "sectors", "critical-minerals").En, Names(body, "sectors", "critical-minerals").Es));
        Assert.Equal(("Minority investment", "Investissement minoritaire"), (Names(body, "transactionTypes", "minority-investment").En, Names(body, "transactionTypes", "minority-investment").Fr));
        Assert.Equal("Canada", Names(body, "countries", "CA").En);
        Assert.Equal(("Germany", "Allemagne", "Alemania"), Names(body, "countries", "DE"));
        Assert.Equal(ReferenceCountryCount, body["countries"]!.AsArray().Count);
        Assert.Contains("CAD", body["currencies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.DoesNotContain("XAU", body["currencies"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("public, max-age=3600", response.Header("Cache-Control"));
    }

    [Fact]
    public async Task EveryCodeItListsIsOneAFilingAccepts()
    {
        var body = await factory.Anonymous().Get("/api/reference-data").Ok();
        var filing = Scenario.LowRiskCa();
        filing["target"]!["minerals"] = new JsonArray([.. Codes(body, "minerals").Take(50).Select(c => (JsonNode)c)]);
        filing["target"]!["technologies"] = new JsonArray([.. Codes(body, "technologies").Select(c => (JsonNode)c)]);
        filing["target"]!["assetCountries"] = new JsonArray([.. Codes(body, "countries").Take(50).Select(c => (JsonNode)c)]);
        var before = await factory.CaseCountAsync();

        (await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", filing)).AssertSuccess(HttpStatusCode.Created);

        Assert.Equal(before + 1, await factory.CaseCountAsync());
        foreach (var (list, path) in new[] { ("sectors", "target.sector"), ("transactionTypes", "transaction.type"), ("countries", "investor.country") })
        {
            foreach (var code in Codes(body, list).Take(40))
            {
                var one = Scenario.LowRiskCa();
                var (parent, name) = (path.Split('.')[0], path.Split('.')[1]);
                one[parent]![name] = code;
                var errors = (await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", WithBadSummary(one))).AssertValidation("$.summary");
                Assert.False(errors.ContainsKey($"$.{path}"), $"{list} '{code}' is listed but refused: {errors.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task TheSameTagInIfNoneMatchIsA304WithNoBody()
    {
        var first = await factory.Anonymous().RawGet("/api/reference-data");
        var tag = first.Header("ETag");
        Assert.Matches("^\"[0-9a-f]{32}\"$", tag);

        var again = await factory.As(ScreeningFactory.OfficerCa).Raw(HttpMethod.Get, "/api/reference-data", headers: new Dictionary<string, string> { ["If-None-Match"] = tag! });
        var weak = await factory.Anonymous().Raw(HttpMethod.Get, "/api/reference-data", headers: new Dictionary<string, string> { ["If-None-Match"] = $"\"other\", W/{tag}" });
        var stale = await factory.Anonymous().Raw(HttpMethod.Get, "/api/reference-data", headers: new Dictionary<string, string> { ["If-None-Match"] = "\"other\"" });

        Assert.Equal((HttpStatusCode.NotModified, string.Empty, tag), (again.Status, again.Text, again.Header("ETag")));
        Assert.Equal(HttpStatusCode.NotModified, weak.Status);
        Assert.Equal((HttpStatusCode.OK, first.Text), (stale.Status, stale.Text));
        Assert.Equal(tag, stale.Header("ETag"));
    }

    private static (string En, string Fr, string Es) Names(JsonObject body, string list, string code)
    {
        var item = body[list]!.AsArray().Single(i => i.S("code") == code);
        return (item.S("en"), item.S("fr"), item.S("es"));
    }

    private static IEnumerable<string> Codes(JsonNode body, string list) => body[list]!.AsArray().Select(i => i.S("code"));

    // A summary with a control character makes the filing fail on that field alone, so nothing is stored.
    private static JsonObject WithBadSummary(JsonObject filing)
    {
        filing["summary"] = "bell\u0007";
        return filing;
    }
}
