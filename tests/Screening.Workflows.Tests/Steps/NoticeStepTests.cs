using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;

namespace Screening.Workflows.Tests.Steps;

/// <summary>
/// A <c>notice</c> records a legal notice — its kind, legal basis and the day it took effect — on the case,
/// reported as an effect of the run for the host's audit trail.
/// </summary>
public class NoticeStepTests
{
    // Monday 4 January 2027, 15:00 UTC (10:00 in Ottawa) is the harness's start.
    private const string Definition = """
        {
          "key": "notices", "name": "Notices", "start": "assess",
          "steps": [
            { "id": "assess", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "CA" },
              "outcomes": { "send-notice": "notice-25-2", "no-action": "finish" } },
            { "id": "notice-25-2", "type": "notice",
              "settings": { "kind": "s25.2-notice", "jurisdiction": "CA", "basis": "ICA s.25.2(1)", "title": { "en": "Notice under s.25.2", "fr": "Avis en vertu de l'art. 25.2" } },
              "outcomes": { "done": "finish" } },
            { "id": "finish", "type": "end", "settings": { "status": "closed" } }
          ]
        }
        """;

    private static PipelineHarness Harness()
    {
        var compiled = CompiledDefinition.Compile(Definition, out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);
        h.StartWith([]);
        return h;
    }

    [Fact]
    public void ANoticeTakesEffectOnTheDayTheOfficialGives()
    {
        var h = Harness();
        h.AdvanceDays(9); // Wednesday 13 January 2027

        var result = h.Runner.Resume(h.Definition, h.Instance, h.Task("assess").Id,
            new ResumeInput("ca-officer-1", "send-notice", EffectiveOn: new DateOnly(2027, 1, 11)));

        Assert.True(result.Succeeded, result.Message);
        var notice = Assert.Single(h.Instance.Notices);
        Assert.Equal(("s25.2-notice", "CA", "ICA s.25.2(1)", new DateOnly(2027, 1, 11), "ca-officer-1", "notice-25-2"),
            (notice.Kind, notice.Jurisdiction, notice.Basis, notice.EffectiveOn, notice.RecordedBy, notice.StepId));
        Assert.Equal("Avis en vertu de l'art. 25.2", notice.Title!.In("fr"));
        Assert.Equal(notice, Assert.Single(result.Effects.OfType<NoticeRecorded>()).Notice);
        var entry = Assert.Single(result.Trace, e => e.StepId == "notice-25-2");
        Assert.Equal(("done", "s25.2-notice effective 2027-01-11 (ICA s.25.2(1))"), (entry.Outcome, entry.Note));
        Assert.Equal("2027-01-11", h.Instance.Variables["assess"]!["effectiveOn"]!.GetValue<string>());
    }

    [Fact]
    public void WithoutADayGivenANoticeTakesEffectTodayInItsJurisdiction()
    {
        var h = Harness();
        h.Advance(TimeSpan.FromHours(12)); // 03:00 UTC on 5 January is still 4 January in Ottawa

        h.Complete("assess", "send-notice", "ca-officer-1");

        Assert.Equal(new DateOnly(2027, 1, 4), Assert.Single(h.Instance.Notices).EffectiveOn);
    }

    [Fact]
    public void ANoticeDatedInTheFutureFailsItsStepWithAnIncident()
    {
        var compiled = CompiledDefinition.Compile(Definition.Replace("\"basis\": \"ICA s.25.2(1)\"", "\"basis\": \"ICA s.25.2(1)\", \"effectiveOn\": \"2027-02-01\"", StringComparison.Ordinal), out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);
        h.StartWith([]);

        h.Complete("assess", "send-notice", "ca-officer-1");

        Assert.Empty(h.Instance.Notices);
        Assert.Equal(WorkflowStatus.Faulted, h.Instance.Status);
        Assert.Contains("2027-02-01", Assert.Single(h.Instance.Incidents).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "jurisdiction": "CA" }""", "$.steps[1].settings.kind", ProblemCodes.MissingField)]
    [InlineData("""{ "kind": "s25.2-notice", "effectiveOn": "11/01/2027" }""", "$.steps[1].settings.effectiveOn", ProblemCodes.InvalidField)]
    [InlineData("""{ "kind": "s25.2-notice", "title": { "en": "Notice", "de": "Bescheid" } }""", "$.steps[1].settings.title.de", ProblemCodes.InvalidField)]
    public void ANoticeWithBadSettingsIsReportedAtTheSetting(string settings, string path, string code)
    {
        var json = Definition.Replace(
            """{ "kind": "s25.2-notice", "jurisdiction": "CA", "basis": "ICA s.25.2(1)", "title": { "en": "Notice under s.25.2", "fr": "Avis en vertu de l'art. 25.2" } }""",
            settings, StringComparison.Ordinal);

        CompiledDefinition.Compile(json, out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal((path, code, "notice-25-2"), (problem.Path, problem.Code, problem.StepId));
    }
}
