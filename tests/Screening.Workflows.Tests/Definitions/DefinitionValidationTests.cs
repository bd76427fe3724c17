using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// One small broken definition per kind of problem, each built from the smallest valid definition
/// (an assign step followed by an end step). Every problem must point at the exact JSON element, carry
/// its stable code, and explain itself to an administrator in a sentence that names the step.
/// </summary>
public class DefinitionValidationTests
{
    /// <summary>The smallest valid definition: assign → end.</summary>
    private const string Minimal = """
        {
          "key": "minimal",
          "name": "Minimal",
          "start": "prepare",
          "steps": [
            { "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish" } },
            { "id": "finish", "type": "end" }
          ]
        }
        """;

    private const string AssignStep = """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish" } }""";

    private const string EndStep = """{ "id": "finish", "type": "end" }""";

    [Fact]
    public void TheMinimalDefinitionIsValid()
    {
        var compiled = CompiledDefinition.Compile(Minimal, out var problems);

        Assert.Empty(problems);
        Assert.NotNull(compiled);
        Assert.True(compiled.IsValid);
    }

    // ---------------------------------------------------------------- unknown step type

    [Fact]
    public void AStepOfAnUnknownTypeIsReportedAtItsType()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "nap" } }""",
            """{ "id": "nap", "type": "sleep", "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].type", ProblemCodes.UnknownStepType);
        AssertNamesStep(problem, "nap");
        AssertSentence(problem.Message, "unknown type", "'sleep'", "Known types", "assign", "human-task", "end");
    }

    // ---------------------------------------------------------------- missing connection

    [Fact]
    public void AnAssignWithoutADoneOutcomeIsMissingItsConnection()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } } }""",
            EndStep));

        var problem = AssertOne(problems, "$.steps[0].outcomes", ProblemCodes.MissingConnection);
        AssertNamesStep(problem, "prepare");
        AssertSentence(problem.Message, "needs an outcome", "'done'", "next step");
    }

    [Fact]
    public void ARequestForInformationWithoutAnAnsweredOutcomeIsMissingItsConnection()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "ask" } }""",
            """{ "id": "ask", "type": "request-information", "settings": { "question": "Who is the ultimate parent?" }, "outcomes": { "expired": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].outcomes", ProblemCodes.MissingConnection);
        AssertNamesStep(problem, "ask");
        AssertSentence(problem.Message, "needs an outcome", "'answered'");
    }

    [Fact]
    public void AForkWithOneBranchIsMissingAConnection()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "split" } }""",
            """{ "id": "split", "type": "fork", "outcomes": { "only": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].outcomes", ProblemCodes.MissingConnection);
        AssertNamesStep(problem, "split");
        AssertSentence(problem.Message, "Fork", "at least two branches");
    }

    [Fact]
    public void AHumanTaskWhoseTimeoutNamesAnOutcomeTheTaskDoesNotHaveIsMissingAConnection()
    {
        var problems = Problems(Steps(
            AssignStepTo("review"),
            """
            {
              "id": "review", "type": "human-task",
              "settings": { "role": "officer", "jurisdiction": "CA", "timeout": { "days": 15, "unit": "calendar", "outcome": "certify" } },
              "outcomes": { "reject": "finish" }
            }
            """,
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.timeout.outcome", ProblemCodes.MissingConnection);
        AssertNamesStep(problem, "review");
        AssertSentence(problem.Message, "timeout", "'certify'", "not one of the task's outcomes");
    }

    // ---------------------------------------------------------------- dangling connection

    [Fact]
    public void AnOutcomeLeadingToAMissingStepIsADanglingConnection()
    {
        var problems = Problems(Steps(
            AssignStepTo("route"),
            """{ "id": "route", "type": "decide", "settings": { "expression": "ready" }, "outcomes": { "true": "finish", "false": "ghost" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].outcomes.false", ProblemCodes.DanglingConnection);
        AssertNamesStep(problem, "route");
        AssertSentence(problem.Message, "Outcome 'false'", "'ghost'", "does not exist");
    }

    [Fact]
    public void AStartNamingAMissingStepIsADanglingConnection()
    {
        var json = Minimal.Replace("\"start\": \"prepare\"", "\"start\": \"ghost\"", StringComparison.Ordinal);

        var problems = Problems(json);

        var problem = AssertOne(problems, "$.start", ProblemCodes.DanglingConnection);
        Assert.Null(problem.StepId);
        AssertSentence(problem.Message, "start step", "'ghost'", "does not exist");
    }

    [Fact]
    public void AnEventNamingAMissingStepIsADanglingConnection()
    {
        var problems = Problems(With(Minimal, root => root["events"] = new JsonObject { ["withdraw"] = "withdrawn" }));

        var problem = AssertOnly(problems, "$.events.withdraw", ProblemCodes.DanglingConnection);
        AssertSentence(problem.Message, "Event 'withdraw'", "'withdrawn'", "does not exist");
    }

    [Fact]
    public void AClockExpiryEventThatNoEventHandlesIsADanglingConnection()
    {
        var problems = Problems(Steps(
            AssignStepTo("start-clock"),
            """
            {
              "id": "start-clock", "type": "clock",
              "settings": { "action": "start", "clock": "statutory", "jurisdiction": "MX", "unit": "business", "days": 45, "expiryEvent": "deemed-approval" },
              "outcomes": { "done": "finish" }
            }
            """,
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.expiryEvent", ProblemCodes.DanglingConnection);
        AssertNamesStep(problem, "start-clock");
        AssertSentence(problem.Message, "'deemed-approval'", "expiry", "'events' do not handle it");
    }

    // ---------------------------------------------------------------- unreachable step

    [Fact]
    public void AStepNoConnectionLeadsToIsUnreachable()
    {
        var problems = Problems(Steps(
            AssignStep,
            """{ "id": "orphan", "type": "assign", "settings": { "set": { "lost": true } }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1]", ProblemCodes.UnreachableStep);
        AssertNamesStep(problem, "orphan");
        AssertSentence(problem.Message, "can never run", "start");
    }

    // ---------------------------------------------------------------- outcome without route

    [Fact]
    public void AnOutcomeWithAnEmptyTargetHasNoRoute()
    {
        var problems = Problems(Steps(
            AssignStepTo("route"),
            """{ "id": "route", "type": "decide", "settings": { "expression": "ready" }, "outcomes": { "true": "finish", "false": "" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].outcomes.false", ProblemCodes.OutcomeWithoutRoute);
        AssertNamesStep(problem, "route");
        AssertSentence(problem.Message, "Outcome 'false'", "not routed to any step");
    }

    // ---------------------------------------------------------------- unexpected outcome

    [Fact]
    public void AnAssignWithAnOutcomeOtherThanDoneHasAnUnexpectedOutcome()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish", "foo": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[0].outcomes.foo", ProblemCodes.UnexpectedOutcome);
        AssertSentence(problem.Message, "no outcome 'foo'", "'done'");
        AssertNamesStep(problem, "prepare");
    }

    [Fact]
    public void AnEndWithAnOutcomeHasAnUnexpectedOutcome()
    {
        var problems = Problems(Steps(
            AssignStep,
            """{ "id": "finish", "type": "end", "outcomes": { "next": "finish" } }"""));

        var problem = AssertOnly(problems, "$.steps[1].outcomes.next", ProblemCodes.UnexpectedOutcome);
        AssertSentence(problem.Message, "no outcome 'next'", "ends the workflow");
        AssertNamesStep(problem, "finish");
    }

    // ---------------------------------------------------------------- duplicate id

    [Fact]
    public void ASecondStepWithTheSameIdIsADuplicate()
    {
        var problems = Problems(Steps(
            AssignStep,
            EndStep,
            """{ "id": "finish", "type": "end", "settings": { "status": "withdrawn" } }"""));

        var problem = AssertOnly(problems, "$.steps[2].id", ProblemCodes.DuplicateId);
        AssertNamesStep(problem, "finish");
        AssertSentence(problem.Message, "already has the id", "unique");
    }

    // ---------------------------------------------------------------- expression syntax

    [Fact]
    public void ADecideExpressionThatDoesNotParseIsReportedAtTheExpression()
    {
        var problems = Problems(Steps(
            AssignStepTo("route"),
            """{ "id": "route", "type": "decide", "settings": { "expression": "riskScore >" }, "outcomes": { "true": "finish", "false": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.expression", ProblemCodes.ExpressionSyntax);
        AssertNamesStep(problem, "route");
        AssertSentence(problem.Message, "does not parse", "line 1", "column");
    }

    [Fact]
    public void AnEqualsSettingThatDoesNotParseIsReportedAtTheSetting()
    {
        var problems = Problems(Steps(
            AssignStepTo("review"),
            """{ "id": "review", "type": "human-task", "settings": { "role": "officer", "jurisdiction": "=host ===" }, "outcomes": { "certify": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.jurisdiction", ProblemCodes.ExpressionSyntax);
        AssertNamesStep(problem, "review");
        AssertSentence(problem.Message, "does not parse", "line 1", "column");
    }

    [Fact]
    public void ADecisionTableRuleWhoseConditionDoesNotParseIsReportedAtThatRule()
    {
        var problems = Problems(Steps(
            AssignStepTo("assess"),
            """
            {
              "id": "assess", "type": "decision-table",
              "settings": {
                "rules": [
                  { "id": "low", "when": "riskScore < 3", "then": { "riskLevel": "low" } },
                  { "id": "high", "when": "riskScore >= (3", "then": { "riskLevel": "high" } }
                ]
              },
              "outcomes": { "done": "finish" }
            }
            """,
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.rules[1].when", ProblemCodes.ExpressionSyntax);
        AssertNamesStep(problem, "assess");
        AssertSentence(problem.Message, "does not parse", "line 1", "column");
    }

    // ---------------------------------------------------------------- joins

    [Fact]
    public void AJoinWaitingForMoreBranchesThanLeadToItCanNeverComplete()
    {
        var problems = Problems(Steps(
            AssignStepTo("split"),
            """{ "id": "split", "type": "fork", "outcomes": { "host": "host-review", "partner": "partner-review" } }""",
            """{ "id": "host-review", "type": "assign", "settings": { "set": { "hostDone": true } }, "outcomes": { "done": "merge" } }""",
            """{ "id": "partner-review", "type": "assign", "settings": { "set": { "partnerDone": true } }, "outcomes": { "done": "merge" } }""",
            """{ "id": "merge", "type": "join", "settings": { "mode": "count", "count": 3 }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[4].settings.count", ProblemCodes.JoinNeverCompletes);
        AssertNamesStep(problem, "merge");
        AssertSentence(problem.Message, "waits for 3 branches", "only 2", "never complete");
    }

    [Fact]
    public void AJoinWaitingForTwoBranchesWithNoForkBeforeItCanNeverComplete()
    {
        var problems = Problems(Steps(
            AssignStepTo("route"),
            """{ "id": "route", "type": "decide", "settings": { "expression": "ready" }, "outcomes": { "true": "left", "false": "right" } }""",
            """{ "id": "left", "type": "assign", "settings": { "set": { "side": "left" } }, "outcomes": { "done": "merge" } }""",
            """{ "id": "right", "type": "assign", "settings": { "set": { "side": "right" } }, "outcomes": { "done": "merge" } }""",
            """{ "id": "merge", "type": "join", "settings": { "mode": "count", "count": 2 }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[4].settings", ProblemCodes.JoinNeverCompletes);
        AssertNamesStep(problem, "merge");
        AssertSentence(problem.Message, "waits for 2 branches", "no fork", "only one branch");
    }

    // ---------------------------------------------------------------- missing end

    [Fact]
    public void ADefinitionWithoutAnyEndStepIsReportedOnItsSteps()
    {
        var problems = Problems(Steps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "prepare" } }"""));

        var problem = AssertOnly(problems, "$.steps", ProblemCodes.MissingEnd);
        Assert.Null(problem.StepId);
        AssertSentence(problem.Message, "no 'end' step", "no case could ever finish");
    }

    [Fact]
    public void AStepThatLoopsWithNoWayToAnEndIsReported()
    {
        var problems = Problems(Steps(
            AssignStepTo("route"),
            """{ "id": "route", "type": "decide", "settings": { "expression": "ready" }, "outcomes": { "true": "finish", "false": "spin" } }""",
            """{ "id": "spin", "type": "assign", "settings": { "set": { "turns": "=(typeof turns === 'number' ? turns : 0) + 1" } }, "outcomes": { "done": "again" } }""",
            """{ "id": "again", "type": "assign", "settings": { "set": { "ready": false } }, "outcomes": { "done": "spin" } }""",
            EndStep));

        string[] trapped = ["$.steps[2]", "$.steps[3]"];
        Assert.All(problems, p => Assert.Equal(ProblemCodes.MissingEnd, p.Code));
        Assert.Equal(trapped, problems.Select(p => p.Path).Order(StringComparer.Ordinal));
        var spin = Assert.Single(problems, p => p.Path == "$.steps[2]");
        AssertNamesStep(spin, "spin");
        AssertSentence(spin.Message, "No 'end' step can be reached", "never finishes");
    }

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

    [Fact(Timeout = 60_000)]
    public async Task ADefinitionWithMoreThanTheMostStepsIsTooLargeAndComesBackWithoutValidatingEachStep()
    {
        var json = Chain(WorkflowDefinitionReader.MaxSteps + 1);

        var problems = await Task.Run(() => Problems(json));

        var problem = AssertOne(problems, "$.steps", ProblemCodes.TooLarge);
        AssertSentence(problem.Message, $"at most {WorkflowDefinitionReader.MaxSteps} steps", $"{WorkflowDefinitionReader.MaxSteps + 1}");
        Assert.DoesNotContain(problems, p => p.Path.StartsWith("$.steps[", StringComparison.Ordinal));
    }

    [Fact(Timeout = 60_000)]
    public async Task ADefinitionWithExactlyTheMostStepsIsAccepted()
    {
        var json = Chain(WorkflowDefinitionReader.MaxSteps);

        var problems = await Task.Run(() => Problems(json));

        Assert.Empty(problems);
    }

    // ---------------------------------------------------------------- settings

    [Fact]
    public void AJoinWithAnUnknownModeHasAnInvalidSetting()
    {
        var problems = Problems(Steps(
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
        var problems = Problems(Steps(
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
        var problems = Problems(Steps(
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
        var problems = Problems(Steps(
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
        var problems = Problems(Steps(
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
        var problems = Problems(Steps(
            AssignStepTo("record"),
            """{ "id": "record", "type": "decision", "settings": { "outcome": "approved" }, "outcomes": { "done": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[1].settings.outcome", ProblemCodes.InvalidField);
        AssertNamesStep(problem, "record");
        AssertSentence(problem.Message, "'approved'", "cleared", "prohibited", "deemed-approved");
    }

    // ---------------------------------------------------------------- many problems, shipped workflows

    [Fact]
    public void EveryProblemOfADefinitionIsReportedAtOnce()
    {
        var json = """
            {
              "key": "Five Problems",
              "name": "Five problems",
              "start": "prepare",
              "steps": [
                { "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "nap" } },
                { "id": "nap", "type": "sleep", "outcomes": { "done": "route" } },
                { "id": "route", "type": "decide", "settings": { "expression": "ready &&" }, "outcomes": { "true": "finish", "false": "ghost" } },
                { "id": "finish", "type": "end" },
                { "id": "finish", "type": "end", "settings": { "status": "withdrawn" } }
              ]
            }
            """;

        (string Path, string Code)[] expected =
        [
            ("$.key", ProblemCodes.InvalidField),
            ("$.steps[1].type", ProblemCodes.UnknownStepType),
            ("$.steps[2].outcomes.false", ProblemCodes.DanglingConnection),
            ("$.steps[2].settings.expression", ProblemCodes.ExpressionSyntax),
            ("$.steps[4].id", ProblemCodes.DuplicateId),
        ];

        var problems = Problems(json);

        Assert.Equal(expected, problems.Select(p => (p.Path, p.Code)).OrderBy(p => p.Path, StringComparer.Ordinal).ThenBy(p => p.Code, StringComparer.Ordinal));
    }

    public static TheoryData<string> ShippedWorkflows() => new(RepositoryFiles.AllWorkflows().Select(Path.GetFileName).OfType<string>());

    [Fact]
    public void TheRepositoryShipsAtLeastOneWorkflow() => Assert.NotEmpty(RepositoryFiles.AllWorkflows());

    [Theory]
    [MemberData(nameof(ShippedWorkflows))]
    public void EveryShippedWorkflowCompilesWithoutProblems(string fileName)
    {
        var path = RepositoryFiles.AllWorkflows().Single(f => Path.GetFileName(f) == fileName);

        var compiled = CompiledDefinition.Compile(File.ReadAllText(path), out var problems);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.NotNull(compiled);
        Assert.True(compiled.IsValid);
    }

    // ---------------------------------------------------------------- loops that never wait

    private const string BusyLoop = """
        {
          "key": "busy-loop",
          "name": "A loop that never waits",
          "variables": { "turns": 0 },
          "start": "count",
          "steps": [
            { "id": "count", "type": "assign", "settings": { "set": { "turns": "=turns + 1" } }, "outcomes": { "done": "check" } },
            { "id": "check", "type": "decide", "settings": { "expression": "turns >= 0 ? 'again' : 'stop'" }, "outcomes": { "again": "count", "stop": "finish" } },
            { "id": "finish", "type": "end" }
          ]
        }
        """;

    [Fact]
    public void ACycleThatNeverWaitsIsValidButStopsAtRunTimeWithAnIncident()
    {
        var compiled = CompiledDefinition.Compile(BusyLoop, out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);
        var limit = new WorkflowServices { Time = h.Time, Calendars = h.Calendars }.MaxStepsPerRun;

        var instance = h.Start(new JsonObject());

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(instance.Incidents);
        Assert.True(incident.StepId is "count" or "check", incident.StepId);
        Assert.Null(incident.ResolvedAt);
        AssertSentence(incident.Message, $"More than {limit} steps", "without waiting", "loops");
        var token = Assert.Single(instance.Tokens);
        Assert.Equal(TokenState.Faulted, token.State);
        Assert.Equal(incident.TokenId, token.Id);
        Assert.InRange(instance.Variables["turns"]!.GetValue<long>(), 1, limit);
        Assert.InRange(instance.Trace.Count, 1, limit);
    }

    [Fact]
    public void TheNumberOfStepsARunMayTakeWithoutWaitingIsASetting()
    {
        var compiled = CompiledDefinition.Compile(BusyLoop, out _)!;
        var h = new PipelineHarness(definition: compiled);
        var runner = new WorkflowRunner(new WorkflowServices { Time = h.Time, Calendars = h.Calendars, MaxStepsPerRun = 10 });

        var instance = runner.Start(compiled, "case-loop").Instance;

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        var incident = Assert.Single(instance.Incidents);
        AssertSentence(incident.Message, "More than 10 steps", "without waiting");
        Assert.Equal(10, instance.Trace.Count);
        Assert.Equal(5, instance.Variables["turns"]!.GetValue<long>());
    }

    // ---------------------------------------------------------------- helpers

    private static IReadOnlyList<ValidationProblem> Problems(string json)
    {
        CompiledDefinition.Compile(json, out var problems, vocabulary: ScreeningWords.Vocabulary);
        return problems;
    }

    /// <summary>The minimal definition with these steps (start stays 'prepare').</summary>
    private static string Steps(params string[] steps) => $$"""
        {
          "key": "minimal",
          "name": "Minimal",
          "start": "prepare",
          "steps": [
            {{string.Join(",\n", steps)}}
          ]
        }
        """;

    private static string AssignStepTo(string next) =>
        $$"""{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "{{next}}" } }""";

    private static string With(string json, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        change(root);
        return root.ToJsonString();
    }

    /// <summary>A chain of assign steps ending in an end step, with <paramref name="count"/> steps in all.</summary>
    private static string Chain(int count)
    {
        var steps = new JsonArray();
        for (var i = 0; i < count - 1; i++)
        {
            steps.Add(new JsonObject
            {
                ["id"] = $"s{i}",
                ["type"] = "assign",
                ["settings"] = new JsonObject { ["set"] = new JsonObject { ["n"] = i } },
                ["outcomes"] = new JsonObject { ["done"] = i == count - 2 ? "finish" : $"s{i + 1}" },
            });
        }

        steps.Add(new JsonObject { ["id"] = "finish", ["type"] = "end" });
        return new JsonObject { ["key"] = "chain", ["name"] = "Chain", ["start"] = "s0", ["steps"] = steps }.ToJsonString();
    }

    /// <summary>The definition has exactly one problem, at that path with that code.</summary>
    private static ValidationProblem AssertOnly(IReadOnlyList<ValidationProblem> problems, string path, string code)
    {
        var problem = Assert.Single(problems);
        Assert.Equal((path, code), (problem.Path, problem.Code));
        return problem;
    }

    /// <summary>The definition has exactly one problem of that code, at that path (and maybe others that follow from it).</summary>
    private static ValidationProblem AssertOne(IReadOnlyList<ValidationProblem> problems, string path, string code)
    {
        var problem = Assert.Single(problems, p => p.Code == code);
        Assert.Equal(path, problem.Path);
        return problem;
    }

    /// <summary>The problem belongs to the step (for highlighting) and its message names it.</summary>
    private static void AssertNamesStep(ValidationProblem problem, string stepId)
    {
        Assert.Equal(stepId, problem.StepId);
        Assert.Contains($"'{stepId}'", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>A sentence an administrator can read: it starts like one, ends like one, uses these words and leaks no internals.</summary>
    private static void AssertSentence(string message, params string[] words)
    {
        Assert.False(string.IsNullOrWhiteSpace(message));
        Assert.True(char.IsUpper(message[0]) || message[0] == '\'', $"'{message}' does not start like a sentence.");
        Assert.EndsWith(".", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Screening.Workflows", message, StringComparison.Ordinal);
        foreach (var word in words)
        {
            Assert.Contains(word, message, StringComparison.OrdinalIgnoreCase);
        }
    }
}
