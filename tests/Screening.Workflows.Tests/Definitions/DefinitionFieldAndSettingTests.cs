using Screening.Workflows.Definitions;
using static Screening.Workflows.Tests.Definitions.TestDefinitions;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// The definition document's own fields and the settings of each step type: one small broken definition per
/// problem, each built from the smallest valid definition, reported at the exact JSON element with its stable
/// code and a sentence an administrator can read.
/// </summary>
public class DefinitionFieldAndSettingTests
{
    // ---------------------------------------------------------------- shape of the document

    [Fact]
    public void TextThatIsNotJsonIsReportedAtTheRoot()
    {
        var compiled = CompiledDefinition.Compile("{ \"key\": \"minimal\", ", out var problems);

        Assert.Null(compiled);
        var problem = AssertOnly(problems, "$", ProblemCodes.InvalidJson);
        AssertSentence(problem.Message, "not valid JSON");
    }

    [Theory]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"a workflow\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void JsonThatIsNotAnObjectIsReportedAtTheRoot(string json)
    {
        var compiled = CompiledDefinition.Compile(json, out var problems);

        Assert.Null(compiled);
        var problem = AssertOnly(problems, "$", ProblemCodes.InvalidJson);
        AssertSentence(problem.Message, "must be a JSON object");
    }

    [Theory]
    [InlineData("key")]
    [InlineData("name")]
    [InlineData("start")]
    public void ADefinitionWithoutARequiredFieldCannotBeRead(string field)
    {
        var compiled = CompiledDefinition.Compile(With(Minimal, root => root.Remove(field)), out var problems);

        Assert.Null(compiled);
        var problem = AssertOnly(problems, $"$.{field}", ProblemCodes.MissingField);
        AssertSentence(problem.Message, $"'{field}'", "required");
    }

    [Fact]
    public void ADefinitionWithoutStepsIsReportedAtSteps()
    {
        var problems = Problems(With(Minimal, root => root.Remove("steps")));

        var problem = AssertOne(problems, "$.steps", ProblemCodes.MissingField);
        AssertSentence(problem.Message, "'steps' array");
    }

    [Theory]
    [InlineData("Bilateral-Screening")]
    [InlineData("bilateral screening")]
    [InlineData("bilateral_screening")]
    [InlineData("1-bilateral")]
    [InlineData("-bilateral")]
    [InlineData("écran")]
    public void AKeyThatIsNotASlugIsInvalid(string key)
    {
        var problems = Problems(With(Minimal, root => root["key"] = key));

        var problem = AssertOnly(problems, "$.key", ProblemCodes.InvalidField);
        AssertSentence(problem.Message, "lower-case letters", "digits", "hyphens", "start with a letter");
    }

    [Fact]
    public void AKeyOfSixtyFiveCharactersIsTooLong()
    {
        var problems = Problems(With(Minimal, root => root["key"] = new string('k', 65)));

        var problem = AssertOnly(problems, "$.key", ProblemCodes.InvalidField);
        AssertSentence(problem.Message, "at most 64 characters");
    }

    // ---------------------------------------------------------------- settings

    [Fact]
    public void AJoinWithAnUnknownModeHasAnInvalidSetting()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("merge"),
            """{ "id": "merge", "type": "join", "settings": { "mode": "most" }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.mode", ProblemCodes.InvalidField);
        AssertNamesStep(problem, "merge");
        AssertSentence(problem.Message, "'most'", "'all'", "'any'", "'count'");
    }

    [Fact]
    public void AClockWithoutAnActionIsMissingASetting()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("start-clock"),
            """{ "id": "start-clock", "type": "clock", "settings": { "clock": "statutory", "jurisdiction": "CA", "unit": "calendar", "days": 45 }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.action", ProblemCodes.MissingField);
        AssertNamesStep(problem, "start-clock");
        AssertSentence(problem.Message, "needs an 'action'", "start", "stop", "resume", "extend", "complete");
    }

    [Fact]
    public void AClockCountingInWeeksHasAnInvalidUnit()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("start-clock"),
            """{ "id": "start-clock", "type": "clock", "settings": { "action": "start", "clock": "statutory", "jurisdiction": "CA", "unit": "weeks", "days": 6 }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.unit", ProblemCodes.InvalidField);
        AssertSentence(problem.Message, "'calendar'", "'business'", "'calendar-rolling'");
        AssertNamesStep(problem, "start-clock");
    }

    [Fact]
    public void ATimerWaitingANegativeNumberOfDaysHasAnInvalidSetting()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("cool-off"),
            """{ "id": "cool-off", "type": "timer", "settings": { "wait": { "days": -5, "unit": "business" } }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.wait.days", ProblemCodes.InvalidField);
        AssertSentence(problem.Message, "'days'", "whole number from 0");
        AssertNamesStep(problem, "cool-off");
    }

    [Fact]
    public void ANotificationToAnUnknownAudienceHasAnInvalidSetting()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("tell"),
            """{ "id": "tell", "type": "notification", "settings": { "audience": "everyone", "subject": "Decision" }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.audience", ProblemCodes.InvalidField);
        AssertNamesStep(problem, "tell");
        AssertSentence(problem.Message, "audience", "applicant", "officer", "decision-maker", "admin");
    }

    [Fact]
    public void ADecisionRecordingSomethingThatIsNotADecisionOutcomeHasAnInvalidSetting()
    {
        var problems = Problems(WithSteps(
            AssignStepTo("record"),
            """{ "id": "record", "type": "decision", "settings": { "outcome": "approved" }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.outcome", ProblemCodes.InvalidField);
        AssertNamesStep(problem, "record");
        AssertSentence(problem.Message, "'approved'", "cleared", "prohibited", "deemed-approved");
    }
}
