using System.Net;
using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Drives cases over HTTP the way people do: file, claim, complete, answer, move time.</summary>
public sealed class Scenario(ScreeningFactory factory)
{
    public static JsonObject Filing(string name) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "seed", "filings", $"{name}.json")))!.AsObject();

    public static JsonObject LowRiskCa() => Filing("low-risk-copper-ca");

    public static JsonObject HighRiskCa() => Filing("high-risk-lithium-ca");

    public static JsonObject JointMx() => Filing("joint-review-mx");

    public static JsonObject LowRiskMx()
    {
        var filing = LowRiskCa();
        filing["target"]!["jurisdiction"] = "MX";
        filing["target"]!["assetCountries"] = new JsonArray("MX");
        return filing;
    }

    public async Task<string> FileAsync(JsonObject filing, string applicant = ScreeningFactory.Applicant)
    {
        var created = await factory.As(applicant).Post("/api/cases", filing).Ok(HttpStatusCode.Created);
        return created.S("id");
    }

    public async Task<JsonNode> TaskAsync(string official, string caseId, string step)
    {
        var tasks = (await factory.As(official).Get($"/api/tasks?scope=available&caseId={caseId}").Ok()).AsArray();
        return tasks.FirstOrDefault(t => t!.S("step") == step)
            ?? throw new Xunit.Sdk.XunitException($"No available task '{step}' for {official} on {caseId}: {tasks.ToJsonString()}");
    }

    public async Task<JsonNode> CompleteAsync(string official, string caseId, string step, string outcome, string? comment = null, object[]? conditions = null)
    {
        var task = await TaskAsync(official, caseId, step);
        var client = factory.As(official);
        await client.Post($"/api/tasks/{task.S("id")}/claim").Ok();
        return await client.Post($"/api/tasks/{task.S("id")}/complete", new { outcome, comment, conditions = conditions ?? [] }).Ok();
    }

    /// <summary>Claims and completes a task recording a legal act that took effect on a given day.</summary>
    public async Task<RawResponse> CompleteOnAsync(string official, string caseId, string step, string outcome, string effectiveOn)
    {
        var task = await TaskAsync(official, caseId, step);
        var client = factory.As(official);
        await client.Post($"/api/tasks/{task.S("id")}/claim").Ok();
        return await client.RawPost($"/api/tasks/{task.S("id")}/complete", new { outcome, effectiveOn });
    }

    public Task<JsonNode> CaseAsync(string user, string caseId) => factory.As(user).Get($"/api/cases/{caseId}").Ok();

    /// <summary>Moves the clock by whole days and the rest in whole minutes, as the endpoint takes them.</summary>
    public Task<JsonNode> AdvanceAsync(double days)
    {
        var whole = Math.Floor(days);
        var minutes = Math.Round((days - whole) * 24 * 60);
        return factory.As(ScreeningFactory.Admin).Post("/api/admin/clock/advance", new { days = whole, minutes }).Ok();
    }
}
