using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Definitions;

/// <summary>
/// Saving drafts and publishing versions: new cases run the newest published version, running cases keep theirs.
/// Only one test publishes the shipped pipeline and the others expect version numbers relative to what they
/// find, so the class shares one host.
/// </summary>
public sealed class DefinitionPublishingTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private const string Key = "bilateral-screening";

    private readonly ScreeningFactory _factory = factory;
    private readonly CaseSteps _steps = new(factory);

    /// <summary>The version the next saved draft gets: the open draft's, else one past the latest.</summary>
    private async Task<int> NextDraftVersionAsync()
    {
        var listed = (await _factory.As(ScreeningFactory.Admin).Get("/api/workflow-definitions").Ok()).AsArray().Single(d => d.S("key") == Key)!;
        return listed["hasDraft"]!.GetValue<bool>() ? listed["draftVersion"]!.GetValue<int>() : listed["latestVersion"]!.GetValue<int>() + 1;
    }

    [Fact]
    public async Task ADraftChangingAThresholdIsPublishedAsVersion2AndOnlyCasesFiledAfterRunIt()
    {
        var admin = _factory.As(ScreeningFactory.Admin);
        var filedBefore = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var draft = (await admin.Get($"/api/workflow-definitions/{Key}").Ok()).AsObject();
        draft["variables"]!["thresholds"]!["equityPercent"] = 5;
        var version = await NextDraftVersionAsync();

        var saved = (await admin.RawPut($"/api/workflow-definitions/{Key}/draft", draft)).AssertSuccess();

        Assert.Equal((Key, version, true), (saved.S("key"), saved["version"]!.GetValue<int>(), saved["hasDraft"]!.GetValue<bool>()));
        var listed = (await admin.Get("/api/workflow-definitions").Ok()).AsArray().Single(d => d.S("key") == Key)!;
        Assert.Equal((version, 1, true), (listed["latestVersion"]!.GetValue<int>(), listed["publishedVersion"]!.GetValue<int>(), listed["hasDraft"]!.GetValue<bool>()));
        var stillPublished = await admin.Get($"/api/workflow-definitions/{Key}").Ok();
        Assert.Equal((1, 25), (stillPublished["version"]!.GetValue<int>(), stillPublished["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>()));
        var draftVersion = await admin.Get($"/api/workflow-definitions/{Key}/versions/{version}").Ok();
        Assert.Equal(("draft", 5), (draftVersion.S("status"), draftVersion["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>()));
        var storedDraft = await _factory.QueryAsync(db => db.Definitions.AsNoTracking().SingleAsync(d => d.Key == Key && d.Version == version));
        Assert.False(storedDraft.IsPublished);
        var filedWithDraft = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        var published = (await admin.RawPost($"/api/workflow-definitions/{Key}/publish")).AssertSuccess();

        Assert.Equal(version, published["version"]!.GetValue<int>());
        listed = (await admin.Get("/api/workflow-definitions").Ok()).AsArray().Single(d => d.S("key") == Key)!;
        Assert.Equal((version, version, false), (listed["latestVersion"]!.GetValue<int>(), listed["publishedVersion"]!.GetValue<int>(), listed["hasDraft"]!.GetValue<bool>()));
        var nowPublished = await admin.Get($"/api/workflow-definitions/{Key}").Ok();
        Assert.Equal((version, "published", 5), (nowPublished["version"]!.GetValue<int>(), nowPublished.S("status"), nowPublished["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>()));
        storedDraft = await _factory.QueryAsync(db => db.Definitions.AsNoTracking().SingleAsync(d => d.Key == Key && d.Version == version));
        Assert.True(storedDraft.IsPublished);
        Assert.Equal(await _factory.UserIdAsync(ScreeningFactory.Admin), storedDraft.PublishedBy);
        Assert.Single(await _factory.StoredEventsAsync("definition.published"), e => e.Data["key"]!.GetValue<string>() == Key);
        var filedAfter = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());

        Assert.Equal(1, (await _factory.StoredInstanceAsync(filedBefore)).DefinitionVersion);
        Assert.Equal(1, (await _factory.StoredInstanceAsync(filedWithDraft)).DefinitionVersion);
        Assert.Equal(version, (await _factory.StoredInstanceAsync(filedAfter)).DefinitionVersion);

        // The 5% stake crosses only the new threshold: the old case stays low risk, the new one goes to the partner.
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa, filedBefore, "intake-review", "certify");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa, filedAfter, "intake-review", "certify");
        var before = await _factory.StoredCaseAsync(filedBefore);
        var after = await _factory.StoredCaseAsync(filedAfter);
        Assert.Equal(("low", "CA"), (before.RiskLevel, before.Jurisdictions));
        Assert.Equal(("medium", "CA,MX"), (after.RiskLevel, after.Jurisdictions));
        Assert.Contains(await _factory.StoredTasksAsync(filedAfter), t => t.StepId == "partner-consultation" && t.Jurisdiction == "MX");
        Assert.DoesNotContain(await _factory.StoredTasksAsync(filedBefore), t => t.StepId == "partner-consultation");

        (await admin.RawPost($"/api/workflow-definitions/{Key}/publish")).AssertProblem(HttpStatusCode.Conflict);
        Assert.Single(await _factory.StoredEventsAsync("definition.published"), e => e.Data["key"]!.GetValue<string>() == Key);
    }

    [Fact]
    public async Task SavingADraftAgainReplacesItUnderTheSameVersion()
    {
        var admin = _factory.As(ScreeningFactory.Admin);
        var published = (await admin.Get($"/api/workflow-definitions/{Key}").Ok()).AsObject();
        var draft = published.DeepClone().AsObject();
        draft["variables"]!["thresholds"]!["equityPercent"] = 10;
        var version = await NextDraftVersionAsync();
        var savesBefore = (await _factory.StoredEventsAsync("definition.draft-saved")).Count;
        await admin.Put($"/api/workflow-definitions/{Key}/draft", draft).Ok();
        draft["variables"]!["thresholds"]!["equityPercent"] = 20;

        var saved = (await admin.RawPut($"/api/workflow-definitions/{Key}/draft", draft)).AssertSuccess();

        Assert.Equal(version, saved["version"]!.GetValue<int>());
        var drafts = await _factory.QueryAsync(db => db.Definitions.AsNoTracking().Where(d => d.Key == Key && !d.IsPublished).ToListAsync());
        var only = Assert.Single(drafts);
        Assert.Equal(20, JsonNode.Parse(only.Json)!["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>());
        Assert.Equal((version, false), (only.Version, only.IsPublished));
        Assert.Equal(savesBefore + 2, (await _factory.StoredEventsAsync("definition.draft-saved")).Count);
        var stored = await admin.Get($"/api/workflow-definitions/{Key}/versions/{version}").Ok();
        Assert.Equal((20, "draft"), (stored["variables"]!["thresholds"]!["equityPercent"]!.GetValue<int>(), stored.S("status")));
        Assert.True(JsonNode.DeepEquals(published, await admin.Get($"/api/workflow-definitions/{Key}").Ok()), "Saving a draft changed the published definition.");
    }

    [Fact]
    public async Task ADraftUnderANewKeyStartsAtVersion1AndIsNotPublishedUntilAsked()
    {
        const string pilot = "pilot-screening";
        var admin = _factory.As(ScreeningFactory.Admin);
        var draft = (await admin.Get($"/api/workflow-definitions/{Key}").Ok()).AsObject();
        draft["key"] = pilot;
        draft["name"] = "Pilot screening";

        var saved = (await admin.RawPut($"/api/workflow-definitions/{pilot}/draft", draft)).AssertSuccess();

        Assert.Equal((pilot, 1, "Pilot screening"), (saved.S("key"), saved["version"]!.GetValue<int>(), saved.S("name")));
        var listed = (await admin.Get("/api/workflow-definitions").Ok()).AsArray().Single(d => d.S("key") == pilot)!;
        Assert.Null(listed["publishedVersion"]);
        Assert.True(listed["hasDraft"]!.GetValue<bool>());
        (await admin.RawGet($"/api/workflow-definitions/{pilot}")).AssertProblem(HttpStatusCode.NotFound);

        var published = (await admin.RawPost($"/api/workflow-definitions/{pilot}/publish")).AssertSuccess();

        Assert.Equal(1, published["version"]!.GetValue<int>());
        Assert.Equal("Pilot screening", (await admin.Get($"/api/workflow-definitions/{pilot}").Ok()).S("name"));
        Assert.True(await _factory.QueryAsync(db => db.Definitions.AnyAsync(d => d.Key == pilot && d.Version == 1 && d.IsPublished)));
        Assert.False(await _factory.QueryAsync(db => db.Definitions.AnyAsync(d => d.Key == Key && d.Name == "Pilot screening")));
    }
}
