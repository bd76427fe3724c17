using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Tests.Pipeline;

/// <summary>
/// Drives the shipped bilateral pipeline in memory with a fake clock: starts a case, completes tasks
/// as named officials, answers requests and moves time, firing due timers in order as the host does.
/// </summary>
internal sealed class PipelineHarness
{
    public static readonly DateTimeOffset Monday4Jan2027 = new(2027, 1, 4, 15, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<CompiledDefinition> Shipped = new(() =>
    {
        var compiled = CompiledDefinition.Compile(File.ReadAllText(RepositoryFiles.Workflow("bilateral-screening")), out var problems);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        return compiled!;
    });

    public PipelineHarness(DateTimeOffset? start = null, CompiledDefinition? definition = null)
    {
        Time = new FakeTimeProvider(start ?? Monday4Jan2027);
        Calendars = InMemoryCalendarProvider.WithDefaults(2025, 2030);
        Definition = definition ?? Shipped.Value;
        Runner = new RecordingRunner(new WorkflowRunner(new WorkflowServices { Time = Time, Calendars = Calendars }), Sinks);
    }

    public FakeTimeProvider Time { get; }

    public InMemoryCalendarProvider Calendars { get; }

    /// <summary>What every run of the harness did, folded from the runs' effects.</summary>
    public EffectLog Sinks { get; } = new();

    public CompiledDefinition Definition { get; }

    public RecordingRunner Runner { get; }

    public WorkflowInstance Instance { get; private set; } = null!;

    /// <summary>Files a case now, as the host does: the filing and the instant it was received.</summary>
    public WorkflowInstance Start(JsonObject filing) =>
        StartWith(new JsonObject { ["filing"] = filing, ["receivedAt"] = Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) });

    public WorkflowInstance StartWith(JsonObject variables)
    {
        Instance = Runner.Start(Definition, "case-1", variables).Instance;
        return Instance;
    }

    public Bookmark Task(string stepId) =>
        Instance.OpenTasks.SingleOrDefault(t => t.StepId == stepId)
        ?? throw new Xunit.Sdk.XunitException($"No open task '{stepId}'. Open: {string.Join(", ", Instance.OpenTasks.Select(t => t.StepId))}. Trace: {string.Join(" > ", Instance.Trace)}. Incidents: {string.Join("; ", Instance.Incidents.Select(i => i.Message))}");

    public RunResult Complete(string stepId, string outcome, string actor, string? comment = null, JsonNode? data = null)
    {
        var result = Runner.Resume(Definition, Instance, Task(stepId).Id, new ResumeInput(actor, outcome, comment, data));
        Assert.True(result.Succeeded, result.Message);
        return result;
    }

    /// <summary>Completes a task recording a legal act that took effect on an earlier day (a notice sent, an order made).</summary>
    public RunResult CompleteOn(string stepId, string outcome, string actor, DateOnly effectiveOn, JsonNode? data = null)
    {
        var result = Runner.Resume(Definition, Instance, Task(stepId).Id, new ResumeInput(actor, outcome, null, data, effectiveOn));
        Assert.True(result.Succeeded, result.Message);
        return result;
    }

    /// <summary>Moves time to an instant and fires every timer that fell due, soonest first.</summary>
    public void AdvanceTo(DateTimeOffset instant) => Advance(instant - Time.GetUtcNow());

    /// <summary>The jurisdiction's own decision, once recorded.</summary>
    public CaseDecision DecisionOf(string jurisdiction) => Instance.Decisions.SingleOrDefault(d => d.Jurisdiction == jurisdiction)
        ?? throw new Xunit.Sdk.XunitException($"{jurisdiction} has not decided. Trace: {string.Join(" > ", Instance.Trace)}.");

    public string RequestInformation(string stepId, string question, int dueInDays, string actor)
    {
        var result = Runner.RequestInformation(Definition, Instance, Task(stepId).Id, question, dueInDays, actor);
        Assert.True(result.Succeeded, result.Message);
        return result.BookmarkId!;
    }

    public void Answer(string requestId, string answer, string actor = "applicant-1")
    {
        var result = Runner.Resume(Definition, Instance, requestId, new ResumeInput(actor, Comment: answer));
        Assert.True(result.Succeeded, result.Message);
    }

    /// <summary>Moves time forward and fires every timer that fell due, soonest first.</summary>
    public void Advance(TimeSpan by)
    {
        var target = Time.GetUtcNow() + by;
        while (true)
        {
            var next = Instance.Bookmarks.Where(b => b.IsTimer && b.DueAt <= target).OrderBy(b => b.DueAt).FirstOrDefault();
            if (next is null)
            {
                break;
            }

            if (next.DueAt > Time.GetUtcNow())
            {
                Time.SetUtcNow(next.DueAt!.Value);
            }

            var result = Runner.FireTimer(Definition, Instance, next.Id);
            Assert.True(result.Succeeded, result.Message);
        }

        Time.SetUtcNow(target);
    }

    public void AdvanceDays(int days) => Advance(TimeSpan.FromDays(days));

    public BusinessCalendar Calendar(string code) => Calendars.Find(code)!;

    public StatutoryClock Clock(string jurisdiction) => Instance.FindClock("statutory", jurisdiction)
        ?? throw new Xunit.Sdk.XunitException($"No statutory clock for {jurisdiction}.");

    public DateOnly DueDate(string jurisdiction)
    {
        var calendar = Calendar(jurisdiction);
        return Clock(jurisdiction).DueDate(calendar, calendar.DateOf(Time.GetUtcNow()));
    }

    public int RemainingDays(string jurisdiction)
    {
        var calendar = Calendar(jurisdiction);
        return Clock(jurisdiction).RemainingDays(calendar, calendar.DateOf(Time.GetUtcNow()));
    }

    public void AssertTrace(params string[] expected) => Assert.Equal(expected, Instance.Trace);

    public static DateOnly Date(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    public static DateTimeOffset Instant(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Filings for each path.</summary>
internal static class Filings
{
    public static JsonObject Create(
        string jurisdiction = "CA",
        string[]? assetCountries = null,
        string[]? minerals = null,
        string[]? technologies = null,
        bool stateOwned = false,
        bool stateInfluenced = false,
        double equityPercent = 5,
        double value = 10_000_000,
        bool controlAcquired = false,
        string? ultimateParent = "Parent Holdings Ltd.",
        string investorCountry = "US") => new()
        {
            ["investor"] = new JsonObject
            {
                ["name"] = "Northern Lights Capital",
                ["country"] = investorCountry,
                ["stateOwned"] = stateOwned,
                ["stateInfluenced"] = stateInfluenced,
                ["ultimateParent"] = ultimateParent,
            },
            ["target"] = new JsonObject
            {
                ["name"] = "Boreal Copper Inc.",
                ["jurisdiction"] = jurisdiction,
                ["assetCountries"] = new JsonArray([.. (assetCountries ?? [jurisdiction]).Select(c => (JsonNode)c)]),
                ["sector"] = "critical-minerals",
                ["minerals"] = new JsonArray([.. (minerals ?? ["copper"]).Select(m => (JsonNode)m)]),
                ["technologies"] = new JsonArray([.. (technologies ?? []).Select(t => (JsonNode)t)]),
            },
            ["transaction"] = new JsonObject
            {
                ["type"] = controlAcquired ? "acquisition-of-control" : "minority-investment",
                ["equityPercent"] = equityPercent,
                ["value"] = value,
                ["currency"] = "CAD",
                ["controlAcquired"] = controlAcquired,
                ["plannedClosing"] = "2027-06-30",
            },
            ["summary"] = "Minority stake in a copper producer.",
        };

    /// <summary>Low risk: one factor (a critical mineral).</summary>
    public static JsonObject LowRisk(string jurisdiction = "CA") => Create(jurisdiction);

    /// <summary>High risk: a state-owned investor in lithium.</summary>
    public static JsonObject HighRisk(string jurisdiction = "CA") =>
        Create(jurisdiction, assetCountries: [jurisdiction, "CL"], minerals: ["lithium"], stateOwned: true, stateInfluenced: true, equityPercent: 19.4, value: 130_000_000, investorCountry: "HK");
}

/// <summary>The runner as the harness drives it: every call's effects are folded into the harness's log, as the host applies them.</summary>
internal sealed class RecordingRunner(WorkflowRunner runner, EffectLog log)
{
    public RunResult Start(CompiledDefinition definition, string instanceId, JsonObject? input = null) => log.Apply(runner.Start(definition, instanceId, input));

    public RunResult Resume(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId, ResumeInput input) => log.Apply(runner.Resume(definition, instance, bookmarkId, input));

    public RunResult FireTimer(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId) => log.Apply(runner.FireTimer(definition, instance, bookmarkId));

    public RunResult RequestInformation(CompiledDefinition definition, WorkflowInstance instance, string taskId, string question, int dueInDays, string actor) =>
        log.Apply(runner.RequestInformation(definition, instance, taskId, question, dueInDays, actor));

    public RunResult RaiseEvent(CompiledDefinition definition, WorkflowInstance instance, string eventName, string actor) => log.Apply(runner.RaiseEvent(definition, instance, eventName, actor));

    public RunResult Retry(CompiledDefinition definition, WorkflowInstance instance, string incidentId) => log.Apply(runner.Retry(definition, instance, incidentId));
}
