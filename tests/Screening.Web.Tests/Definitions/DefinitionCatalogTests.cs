using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Definitions;

/// <summary>
/// Reading workflow definitions and refusing invalid drafts (every problem by JSON path, with code and step).
/// Nothing here stores a draft or publishes, so the class shares one host.
/// </summary>
public sealed class DefinitionCatalogTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string Key = "bilateral-screening";

    private static JsonObject Shipped() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", $"{Key}.json")))!.AsObject();

    [Fact]
    public async Task TheListShowsTheShippedPipelinePublishedAsVersion1WithoutADraft()
    {
        var list = (await factory.As(ScreeningFactory.Admin).RawGet("/api/workflow-definitions")).AssertSuccess().AsArray();

        var pipeline = Assert.Single(list, d => d.S("key") == Key)!;
        Assert.Equal("Bilateral screening of a foreign investment", pipeline.S("name"));
        Assert.Equal(1, pipeline["latestVersion"]!.GetValue<int>());
        Assert.Equal(1, pipeline["publishedVersion"]!.GetValue<int>());
        Assert.False(pipeline["hasDraft"]!.GetValue<bool>());
        var stored = await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == Key).ToListAsync());
        var only = Assert.Single(stored);
        Assert.Equal((1, true, "import"), (only.Version, only.IsPublished, only.PublishedBy));
    }

    [Fact]
    public async Task ThePublishedDefinitionIsTheShippedJsonWithItsVersion()
    {
        var admin = factory.As(ScreeningFactory.Admin);

        var published = (await admin.RawGet($"/api/workflow-definitions/{Key}")).AssertSuccess();
        var version1 = (await admin.RawGet($"/api/workflow-definitions/{Key}/versions/1")).AssertSuccess();

        var shipped = Shipped();
        Assert.Equal((Key, 1, "published"), (published.S("key"), published["version"]!.GetValue<int>(), published.S("status")));
        Assert.Equal(shipped.S("start"), published.S("start"));
        Assert.Equal(shipped["steps"]!.AsArray().Select(s => s.S("id")), published["steps"]!.AsArray().Select(s => s.S("id")));
        Assert.Equal(25, published["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>());
        Assert.True(JsonNode.DeepEquals(published, version1), "The published definition and version 1 differ.");
        var stored = await factory.QueryAsync(db => db.Definitions.AsNoTracking().SingleAsync(d => d.Key == Key && d.Version == 1));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(stored.Json)!["steps"], published["steps"]));
    }

    [Fact]
    public async Task AnUnknownKeyOrVersionIs404()
    {
        var admin = factory.As(ScreeningFactory.Admin);

        (await admin.RawGet("/api/workflow-definitions/no-such-pipeline")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.RawGet($"/api/workflow-definitions/{Key}/versions/2")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.RawGet("/api/workflow-definitions/no-such-pipeline/versions/1")).AssertProblem(HttpStatusCode.NotFound);
        (await admin.RawPost("/api/workflow-definitions/no-such-pipeline/publish")).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADraftWithADanglingConnectionIs400ListingEveryProblemByStepPathAndNothingIsSaved()
    {
        var draft = Shipped();
        var steps = draft["steps"]!.AsArray();
        var triage = steps.Single(s => s.S("id") == "triage")!;
        var index = steps.IndexOf(triage);
        triage["outcomes"]!["done"] = "no-such-step";

        var response = await factory.As(ScreeningFactory.Admin).RawPut($"/api/workflow-definitions/{Key}/draft", draft);

        var errors = response.AssertValidation($"$.steps[{index}].outcomes.done");
        Assert.All(errors, e => Assert.StartsWith("$.steps[", e.Key, StringComparison.Ordinal));
        var problems = response.Json!["problems"]!.AsArray();
        var dangling = Assert.Single(problems, p => p.S("code") == "dangling-connection")!;
        Assert.Equal(("triage", $"$.steps[{index}].outcomes.done"), (dangling.S("stepId"), dangling.S("path")));
        Assert.Contains(problems, p => p.S("code") == "unreachable-step" && p.S("stepId") == "assess-risk");
        Assert.All(problems, p => Assert.True(errors.ContainsKey(p.S("path")), $"No 'errors' entry for {p!.ToJsonString()}"));
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("unknown-step-type", "$.steps[0].type", "prepare")]
    [InlineData("expression-syntax", "$.steps[{automatic-completeness}].settings.expression", "automatic-completeness")]
    [InlineData("outcome-without-route", "$.steps[{intake-review}].outcomes.deficient", "intake-review")]
    [InlineData("unreachable-step", "$.steps[{last}]", "orphan")]
    [InlineData("duplicate-id", "$.steps[{last}].id", "prepare")]
    public async Task EveryKindOfProblemIsReportedWithItsPathCodeAndStep(string code, string path, string stepId)
    {
        var draft = Shipped();
        var steps = draft["steps"]!.AsArray();
        int IndexOf(string id) => steps.Select((step, i) => (step, i)).Single(s => s.step.S("id") == id).i;
        switch (code)
        {
            case "unknown-step-type": steps[0]!["type"] = "teleport"; break;
            case "expression-syntax": steps[IndexOf("automatic-completeness")]!["settings"]!["expression"] = "1 +* ("; break;
            case "outcome-without-route": steps[IndexOf("intake-review")]!["outcomes"]!["deficient"] = ""; break;
            case "unreachable-step": steps.Add(new JsonObject { ["id"] = "orphan", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "closed" } }); break;
            case "duplicate-id": steps.Add(new JsonObject { ["id"] = "prepare", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "closed" } }); break;
            default: throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown problem.");
        }

        var expectedPath = path.Replace("{last}", (steps.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{automatic-completeness}", IndexOf("automatic-completeness").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{intake-review}", IndexOf("intake-review").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var response = await factory.As(ScreeningFactory.Admin).RawPut($"/api/workflow-definitions/{Key}/draft", draft);

        response.AssertValidation(expectedPath);
        Assert.Contains(response.Json!["problems"]!.AsArray(), p => p.S("code") == code && p.S("path") == expectedPath && p.S("stepId") == stepId);
        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task ADraftWhoseKeyDiffersFromTheAddressIs400()
    {
        var draft = Shipped();
        draft["key"] = "another-pipeline";

        (await factory.As(ScreeningFactory.Admin).RawPut($"/api/workflow-definitions/{Key}/draft", draft)).AssertValidation("$.key");

        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task ADraftWithAFieldGivenTwiceIs400AndNeverA500()
    {
        var draft = Shipped().ToJsonString();
        var body = "{\"key\":\"another-pipeline\"," + draft[1..];

        var response = await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Put, $"/api/workflow-definitions/{Key}/draft", body);

        response.AssertValidation();
        await AssertNothingSavedAsync();
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"a definition\"")]
    [InlineData("{\"steps\": [")]
    public async Task ADraftThatIsNotAJsonObjectIs400(string body)
    {
        (await factory.As(ScreeningFactory.Admin).Raw(HttpMethod.Put, $"/api/workflow-definitions/{Key}/draft", body)).AssertValidation();

        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task PublishingWithNoDraftIs409AndTheVersionStays()
    {
        (await factory.As(ScreeningFactory.Admin).RawPost($"/api/workflow-definitions/{Key}/publish")).AssertProblem(HttpStatusCode.Conflict);

        await AssertNothingSavedAsync();
        Assert.Empty(await factory.StoredEventsAsync("definition.published"));
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.DecisionMx)]
    [InlineData(ScreeningFactory.Applicant)]
    public async Task OnlyAdminsSeeOrChangeDefinitions403(string user)
    {
        var client = factory.As(user);
        var draft = Shipped();
        draft["variables"]!["thresholds"]!["equityPercent"] = 5;

        (await client.RawGet("/api/workflow-definitions")).AssertProblem(HttpStatusCode.Forbidden);
        (await client.RawGet($"/api/workflow-definitions/{Key}")).AssertProblem(HttpStatusCode.Forbidden);
        (await client.RawGet($"/api/workflow-definitions/{Key}/versions/1")).AssertProblem(HttpStatusCode.Forbidden);
        (await client.RawPut($"/api/workflow-definitions/{Key}/draft", draft)).AssertProblem(HttpStatusCode.Forbidden);
        (await client.RawPost($"/api/workflow-definitions/{Key}/publish")).AssertProblem(HttpStatusCode.Forbidden);

        await AssertNothingSavedAsync();
    }

    [Fact]
    public async Task DefinitionsWithoutATokenAre401()
    {
        var anonymous = factory.Anonymous();

        (await anonymous.RawGet("/api/workflow-definitions")).AssertProblem(HttpStatusCode.Unauthorized);
        (await anonymous.RawGet($"/api/workflow-definitions/{Key}")).AssertProblem(HttpStatusCode.Unauthorized);
        (await anonymous.RawGet($"/api/workflow-definitions/{Key}/versions/1")).AssertProblem(HttpStatusCode.Unauthorized);
        (await anonymous.RawPut($"/api/workflow-definitions/{Key}/draft", Shipped())).AssertProblem(HttpStatusCode.Unauthorized);
        (await anonymous.RawPost($"/api/workflow-definitions/{Key}/publish")).AssertProblem(HttpStatusCode.Unauthorized);

        await AssertNothingSavedAsync();
    }

    private async Task AssertNothingSavedAsync()
    {
        var versions = await factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == Key).Select(d => new { d.Version, d.IsPublished }).ToListAsync());
        var only = Assert.Single(versions);
        Assert.Equal((1, true), (only.Version, only.IsPublished));
        Assert.Empty(await factory.StoredEventsAsync("definition.draft-saved"));
    }
}
