using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

/// <summary>
/// POST /api/cases: what a filing creates, how every bad field is reported by its JSON path, idempotent
/// retries, and who may file. One host for the class: no test here moves the clock.
/// </summary>
public sealed partial class CaseFilingTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AnApplicantFilesACaseAndGetsItsReferenceLocationAndAStartedWorkflow()
    {
        var response = await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", Scenario.HighRiskCa());

        var body = response.AssertSuccess(HttpStatusCode.Created);
        var id = body.S("id");
        Assert.Matches(ReferencePattern(), body.S("reference"));
        Assert.Equal("submitted", body.S("status"));
        Assert.Equal($"/api/cases/{id}", response.Header("Location"));

        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.Applicant), stored.ApplicantId);
        Assert.Equal((body.S("reference"), "CA", "CA", "submitted"), (stored.Reference, stored.HostJurisdiction, stored.Jurisdictions, stored.Status));
        Assert.Equal(("Harbour Resources Holdings", "Boreal Lithium Inc."), (stored.InvestorName, stored.TargetName));
        Assert.Null(stored.IdempotencyKey);
        var filing = JsonNode.Parse(stored.FilingJson)!;
        Assert.Equal(19.4, filing["transaction"]!["equityPercent"]!.GetValue<double>());
        Assert.Equal(["lithium"], filing["target"]!["minerals"]!.AsArray().Select(m => m!.GetValue<string>()));

        var instance = await factory.StoredInstanceAsync(id);
        Assert.Equal(("bilateral-screening", 1), (instance.DefinitionKey, instance.DefinitionVersion));
        var task = Assert.Single(await factory.StoredTasksAsync(id));
        Assert.Equal(("intake-review", "CA", "officer", "open"), (task.StepId, task.Jurisdiction, task.Role, task.Status));
        var submitted = Assert.Single(await factory.StoredEventsAsync("case.submitted", id));
        Assert.Equal(stored.ApplicantId, submitted.Entry.Actor);
        Assert.Equal("CA", submitted.Data["host"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheStoredFilingIsTheCleanedFilingWithOptionalFlagsDefaultedToFalse()
    {
        var filing = Scenario.LowRiskCa();
        filing["investor"]!.AsObject().Remove("stateOwned");
        filing["investor"]!.AsObject().Remove("stateInfluenced");
        filing["investor"]!["name"] = "  Northern Lights Capital  ";

        var id = (await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", filing)).AssertSuccess(HttpStatusCode.Created).S("id");

        var view = await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok();
        Assert.Equal("Northern Lights Capital", view["filing"]!["investor"].S("name"));
        Assert.False(view["filing"]!["investor"]!["stateOwned"]!.GetValue<bool>());
        Assert.False(view["filing"]!["investor"]!["stateInfluenced"]!.GetValue<bool>());
        var stored = await factory.StoredCaseAsync(id);
        Assert.Equal("Northern Lights Capital", stored.InvestorName);
        Assert.False(JsonNode.Parse(stored.FilingJson)!["investor"]!["stateOwned"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("equity-150", "$.transaction.equityPercent")]
    [InlineData("negative-equity", "$.transaction.equityPercent")]
    [InlineData("negative-value", "$.transaction.value")]
    [InlineData("equity-as-text", "$.transaction.equityPercent")]
    [InlineData("unknown-investor-country", "$.investor.country")]
    [InlineData("unknown-asset-country", "$.target.assetCountries[1]")]
    [InlineData("extra-top-level-field", "$.lawyer")]
    [InlineData("extra-transaction-field", "$.transaction.discount")]
    [InlineData("missing-investor", "$.investor")]
    [InlineData("missing-investor-name", "$.investor.name")]
    [InlineData("jurisdiction-us", "$.target.jurisdiction")]
    [InlineData("unknown-transaction-type", "$.transaction.type")]
    [InlineData("impossible-closing-date", "$.transaction.plannedClosing")]
    [InlineData("lowercase-currency", "$.transaction.currency")]
    [InlineData("made-up-currency", "$.transaction.currency")]
    [InlineData("metal-currency", "$.transaction.currency")]
    [InlineData("unknown-mineral", "$.target.minerals[0]")]
    [InlineData("no-asset-countries", "$.target.assetCountries")]
    [InlineData("investor-not-an-object", "$.investor")]
    public async Task ABadFieldIs400WithItsJsonPathAndNothingIsStored(string mutation, string path)
    {
        var filing = Mutate(Scenario.HighRiskCa(), mutation);
        var before = await factory.CaseCountAsync();

        var response = await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", filing);

        response.AssertValidation(path);
        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Fact]
    public async Task EveryBadFieldOfAFilingIsReportedAtOnce()
    {
        var filing = Scenario.HighRiskCa();
        filing["transaction"]!["equityPercent"] = 150;
        filing["investor"]!["country"] = "ZZ";
        filing["target"]!["jurisdiction"] = "US";
        filing["transaction"]!["value"] = -1;
        filing["unexpected"] = true;

        var errors = (await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", filing)).AssertValidation(
            "$.transaction.equityPercent", "$.investor.country", "$.target.jurisdiction", "$.transaction.value", "$.unexpected");

        Assert.Equal(5, errors.Count);
    }

    [Theory]
    [InlineData("{\"investor\": ")]
    [InlineData("{\"investor\": {\"name\": \"x\",}}")]
    [InlineData("not json at all")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task ABodyThatIsNotAFilingObjectIs400AndNothingIsStored(string body)
    {
        var before = await factory.CaseCountAsync();

        var response = await factory.As(ScreeningFactory.Applicant).Raw(HttpMethod.Post, "/api/cases", body);

        var errors = response.AssertValidation();
        Assert.All(errors, e => Assert.StartsWith("$", e.Key, StringComparison.Ordinal));
        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Theory]
    [InlineData("summary")]
    [InlineData("investor.name")]
    public async Task AFieldGivenTwiceIs400AndNeverA500(string field)
    {
        var filing = Scenario.LowRiskCa().ToJsonString();
        var body = field == "summary"
            ? filing.Replace("{\"investor\"", "{\"summary\":\"first\",\"investor\"", StringComparison.Ordinal)
            : filing.Replace("\"name\":\"Northern Lights Capital\"", "\"name\":\"Northern Lights Capital\",\"name\":\"Someone Else\"", StringComparison.Ordinal);
        Assert.NotEqual(filing, body);
        var before = await factory.CaseCountAsync();

        var response = await factory.As(ScreeningFactory.Applicant).Raw(HttpMethod.Post, "/api/cases", body);

        response.AssertValidation();
        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Fact]
    public async Task AnIdempotencyKeyMakesARetryReturnTheFirstCaseAndStoresExactlyOne()
    {
        var key = $"retry-{Guid.NewGuid():N}";
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        var applicant = factory.As(ScreeningFactory.Applicant);

        var first = (await applicant.RawPost("/api/cases", Scenario.LowRiskCa(), headers)).AssertSuccess(HttpStatusCode.Created);
        // The same filing, written differently: spacing around a name and the fields in another order.
        var retryFiling = Scenario.LowRiskCa();
        retryFiling["investor"]!["name"] = $"  {retryFiling["investor"].S("name")} ";
        var summary = retryFiling["summary"]!.DeepClone();
        retryFiling.Remove("summary");
        var reordered = new JsonObject { ["summary"] = summary };
        foreach (var (name, value) in retryFiling.ToList())
        {
            retryFiling.Remove(name);
            reordered[name] = value;
        }

        var retry = await applicant.RawPost("/api/cases", reordered, headers);

        var again = retry.AssertSuccess(HttpStatusCode.Created);
        Assert.Equal((first.S("id"), first.S("reference")), (again.S("id"), again.S("reference")));
        Assert.Equal($"/api/cases/{first.S("id")}", retry.Header("Location"));
        var stored = await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.IdempotencyKey == key).ToListAsync());
        var only = Assert.Single(stored);
        Assert.Equal("Passive 5% stake in a copper producer.", JsonNode.Parse(only.FilingJson)!.S("summary"));
        Assert.Single(await factory.QueryAsync(db => db.Instances.AsNoTracking().Where(i => i.Id == only.Id).ToListAsync()));
        Assert.Single(await factory.StoredEventsAsync("case.submitted", first.S("id")));
        Assert.Matches("^[0-9a-f]{64}$", only.IdempotencyHash);
    }

    [Fact]
    public async Task AnIdempotencyKeyReusedWithAnotherFilingIs422AndStoresNothing()
    {
        var key = $"reused-{Guid.NewGuid():N}";
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };
        var applicant = factory.As(ScreeningFactory.Applicant);
        var first = (await applicant.RawPost("/api/cases", Scenario.LowRiskCa(), headers)).AssertSuccess(HttpStatusCode.Created);
        var before = await factory.CaseCountAsync();
        var audit = await factory.AuditCountAsync();
        var other = Scenario.LowRiskCa();
        other["summary"] = "Another filing under the same key.";

        var problem = (await applicant.RawPost("/api/cases", other, headers)).AssertProblem(HttpStatusCode.UnprocessableEntity);

        Assert.Equal("Idempotency key already used.", problem.S("title"));
        Assert.Equal("https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-idempotency-key-header#section-2.7", problem.S("type"));
        Assert.Contains("different filing", problem.S("detail"), StringComparison.Ordinal);
        Assert.Equal((before, audit), (await factory.CaseCountAsync(), await factory.AuditCountAsync()));
        var stored = Assert.Single(await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.IdempotencyKey == key).ToListAsync()));
        Assert.Equal((first.S("id"), "Passive 5% stake in a copper producer."), (stored.Id.ToString(), JsonNode.Parse(stored.FilingJson)!.S("summary")));

        // The first filing sent again under its key still answers with its case.
        var again = (await applicant.RawPost("/api/cases", Scenario.LowRiskCa(), headers)).AssertSuccess(HttpStatusCode.Created);
        Assert.Equal(first.S("id"), again.S("id"));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyFromAnotherApplicantFilesItsOwnCase()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = key };

        var mine = (await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", Scenario.LowRiskCa(), headers)).AssertSuccess(HttpStatusCode.Created);
        var theirs = (await factory.As(ScreeningFactory.OtherApplicant).RawPost("/api/cases", Scenario.JointMx(), headers)).AssertSuccess(HttpStatusCode.Created);

        Assert.NotEqual(mine.S("id"), theirs.S("id"));
        var stored = await factory.QueryAsync(db => db.Cases.AsNoTracking().Where(c => c.IdempotencyKey == key).Select(c => c.ApplicantId).ToListAsync());
        Assert.Equal(
            new[] { await factory.UserIdAsync(ScreeningFactory.Applicant), await factory.UserIdAsync(ScreeningFactory.OtherApplicant) }.Order(),
            stored.Order());
    }

    [Fact]
    public async Task AnOverlongIdempotencyKeyIs400AndNothingIsStored()
    {
        var before = await factory.CaseCountAsync();

        var response = await factory.As(ScreeningFactory.Applicant).RawPost("/api/cases", Scenario.LowRiskCa(),
            new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 201) });

        response.AssertValidation("Idempotency-Key");
        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Fact]
    public async Task FilingWithoutATokenIs401AndNothingIsStored()
    {
        var before = await factory.CaseCountAsync();

        (await factory.Anonymous().RawPost("/api/cases", Scenario.LowRiskCa())).AssertProblem(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Fact]
    public async Task AGarbageBearerTokenIs401()
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-a-token");
        var before = await factory.CaseCountAsync();

        (await client.RawPost("/api/cases", Scenario.LowRiskCa())).AssertProblem(HttpStatusCode.Unauthorized);
        (await client.RawGet("/api/cases")).AssertProblem(HttpStatusCode.Unauthorized);

        Assert.Equal(before, await factory.CaseCountAsync());
    }

    [Theory]
    [InlineData(ScreeningFactory.OfficerCa)]
    [InlineData(ScreeningFactory.DecisionMx)]
    [InlineData(ScreeningFactory.Admin)]
    public async Task OnlyApplicantsFileAndAnOfficialGets403(string official)
    {
        var before = await factory.CaseCountAsync();

        (await factory.As(official).RawPost("/api/cases", Scenario.LowRiskCa())).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal(before, await factory.CaseCountAsync());
        var userId = await factory.UserIdAsync(official);
        Assert.False(await factory.QueryAsync(db => db.Cases.AnyAsync(c => c.ApplicantId == userId)));
    }

    [Fact]
    public async Task TheOpenApiDocumentIsServedWithTheCasePaths()
    {
        var response = await factory.Anonymous().RawGet("/openapi/v1.json");

        var document = response.AssertSuccess();
        Assert.Equal("application/json", response.MediaType);
        Assert.StartsWith("3.", document.S("openapi"), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/cases", paths);
        Assert.Contains("/api/cases/{id}", paths);
        Assert.Contains("/api/cases/{id}/withdraw", paths);
        Assert.Contains("/api/cases/{id}/requests/{requestId}/response", paths);
        Assert.Contains("/api/tasks", paths);
        Assert.NotNull(document["paths"]!["/api/cases"]!["post"]);
        Assert.NotNull(document["paths"]!["/api/cases"]!["get"]);
    }

    private static JsonObject Mutate(JsonObject filing, string mutation)
    {
        switch (mutation)
        {
            case "equity-150": filing["transaction"]!["equityPercent"] = 150; break;
            case "negative-equity": filing["transaction"]!["equityPercent"] = -0.5; break;
            case "negative-value": filing["transaction"]!["value"] = -1000; break;
            case "equity-as-text": filing["transaction"]!["equityPercent"] = "19.4"; break;
            case "unknown-investor-country": filing["investor"]!["country"] = "ZZ"; break;
            case "unknown-asset-country": filing["target"]!["assetCountries"] = new JsonArray("CA", "ZZ"); break;
            case "extra-top-level-field": filing["lawyer"] = "Someone"; break;
            case "extra-transaction-field": filing["transaction"]!["discount"] = 5; break;
            case "missing-investor": filing.Remove("investor"); break;
            case "missing-investor-name": filing["investor"]!.AsObject().Remove("name"); break;
            case "jurisdiction-us": filing["target"]!["jurisdiction"] = "US"; break;
            case "unknown-transaction-type": filing["transaction"]!["type"] = "hostile-takeover"; break;
            case "impossible-closing-date": filing["transaction"]!["plannedClosing"] = "2027-02-30"; break;
            case "lowercase-currency": filing["transaction"]!["currency"] = "cad"; break;
            case "made-up-currency": filing["transaction"]!["currency"] = "ABC"; break;
            case "metal-currency": filing["transaction"]!["currency"] = "XAU"; break;
            case "unknown-mineral": filing["target"]!["minerals"] = new JsonArray("unobtainium"); break;
            case "no-asset-countries": filing["target"]!["assetCountries"] = new JsonArray(); break;
            case "investor-not-an-object": filing["investor"] = "Harbour Resources"; break;
            default: throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "Unknown mutation.");
        }

        return filing;
    }

    [GeneratedRegex("^SCR-2027-[0-9A-Z]{8}$")]
    private static partial Regex ReferencePattern();
}
