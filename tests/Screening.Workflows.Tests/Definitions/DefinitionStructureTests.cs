using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using static Screening.Workflows.Tests.Definitions.TestDefinitions;

namespace Screening.Workflows.Tests.Definitions;

/// <summary>
/// One small broken definition per kind of structural problem (steps and the connections between them), each
/// built from the smallest valid definition. Every problem must point at the exact JSON element, carry its
/// stable code, and explain itself to an administrator in a sentence that names the step.
/// </summary>
public class DefinitionStructureTests
{
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } } }""",
            EndStep));

        var problem = AssertOne(problems, "$.steps[0].outcomes", ProblemCodes.MissingConnection);
        AssertNamesStep(problem, "prepare");
        AssertSentence(problem.Message, "needs an outcome", "'done'", "next step");
    }

    [Fact]
    public void ARequestForInformationWithoutAnAnsweredOutcomeIsMissingItsConnection()
    {
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "finish", "foo": "finish" } }""",
            EndStep));

        var problem = AssertOnly(problems, "$.steps[0].outcomes.foo", ProblemCodes.UnexpectedOutcome);
        AssertSentence(problem.Message, "no outcome 'foo'", "'done'");
        AssertNamesStep(problem, "prepare");
    }

    [Fact]
    public void AnEndWithAnOutcomeHasAnUnexpectedOutcome()
    {
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
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
        var problems = Problems(WithSteps(
            """{ "id": "prepare", "type": "assign", "settings": { "set": { "ready": true } }, "outcomes": { "done": "prepare" } }"""));

        var problem = AssertOnly(problems, "$.steps", ProblemCodes.MissingEnd);
        Assert.Null(problem.StepId);
        AssertSentence(problem.Message, "no 'end' step", "no case could ever finish");
    }

    [Fact]
    public void AStepThatLoopsWithNoWayToAnEndIsReported()
    {
        var problems = Problems(WithSteps(
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
}
