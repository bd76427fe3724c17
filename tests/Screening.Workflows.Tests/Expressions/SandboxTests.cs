using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;
using Screening.Workflows.Tests.Pipeline;

namespace Screening.Workflows.Tests.Expressions;

/// <summary>
/// The expression sandbox, used directly (<see cref="ExpressionSandbox"/> and <see cref="ExpressionSession"/>)
/// and through a running definition, where a misbehaving expression must fault its step with a clear
/// incident that a retry can get past once the data is fixed. Failures are told apart by their message,
/// never by how long they took.
/// </summary>
public class SandboxTests
{
    private static readonly ExpressionLimits Defaults = new();

    /// <summary>Default limits with a wall clock so generous that another limit always trips first.</summary>
    private static readonly ExpressionLimits NoHurry = new() { Timeout = TimeSpan.FromMinutes(2) };

    private const string EndlessLoop = "while (true) {}";
    private const string DeepRecursion = "function f(n) { return f(n + 1); } f(0)";
    private const string MemoryBomb = "let a = []; while (true) { a.push('x'.repeat(1000000)); }";

    // ---------------------------------------------------------------- limits, directly

    [Fact]
    public void AnEndlessLoopIsStoppedByTheStatementLimit()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(EndlessLoop, limits: NoHurry));

        Assert.Equal($"The expression ran more than {NoHurry.MaxStatements} statements and was stopped.", ex.Message);
    }

    [Fact]
    public void AnEndlessLoopIsStoppedByTheTimeLimitWhenStatementsAreNotLimiting()
    {
        var limits = new ExpressionLimits { MaxStatements = int.MaxValue, Timeout = TimeSpan.FromMilliseconds(100) };

        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(EndlessLoop, limits: limits));

        Assert.Equal("The expression ran longer than 100 ms and was stopped.", ex.Message);
    }

    [Fact]
    public void AnEndlessLoopUnderTheDefaultLimitsIsStoppedByTheStatementOrTimeLimit()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(EndlessLoop));

        AssertStatementsOrTime(ex.Message);
    }

    [Fact]
    public void DeepRecursionIsStoppedByTheRecursionLimit()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(DeepRecursion, limits: NoHurry));

        Assert.Equal($"The expression recursed deeper than {NoHurry.RecursionDepth} calls and was stopped.", ex.Message);
    }

    [Fact]
    public void AMemoryBombIsStoppedByTheMemoryLimit()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(MemoryBomb, limits: NoHurry));

        Assert.Equal(MemoryMessage(NoHurry), ex.Message);
    }

    // ---------------------------------------------------------------- no way out of the sandbox

    [Theory]
    [InlineData("System")]
    [InlineData("importNamespace")]
    [InlineData("clrHelper")]
    [InlineData("host")]
    [InlineData("require")]
    [InlineData("process")]
    [InlineData("setTimeout")]
    public void TheClrAndTheHostAreNotReachable(string name)
    {
        Assert.Equal("undefined", Evaluate($"typeof {name}")!.GetValue<string>());

        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(name));

        Assert.StartsWith("The expression threw:", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"{name} is not defined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReachingForAClrTypeThroughSystemFails()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("System.IO.File.ReadAllText('/etc/passwd')"));

        Assert.Contains("System is not defined", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval('1+1')")]
    [InlineData("(0, eval)('1+1')")]
    [InlineData("new Function('return 1')()")]
    [InlineData("Function('return 1')()")]
    [InlineData("this.constructor.constructor('return 1')()")]
    [InlineData("({}).constructor.constructor('return 1')()")]
    [InlineData("Reflect.construct(Function, ['return 1'])()")]
    [InlineData("(function* () {}).constructor('yield 1')().next().value")]
    [InlineData("(async function () {}).constructor('return 1') !== undefined")]
    public void CompilingCodeFromAStringFails(string source)
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(source));

        Assert.StartsWith("The expression ", ex.Message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- results that are not data

    [Fact]
    public void AResultThatRefersToItselfFailsWithTheNestingMessage()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("const o = {}; o.self = o; o"));

        Assert.Equal($"The expression's result nests deeper than {Defaults.MaxDepth} levels (or refers to itself).", ex.Message);
    }

    [Fact]
    public void AnArrayThatContainsItselfFailsWithTheNestingMessage()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("const a = [1]; a.push(a); a"));

        Assert.Contains("refers to itself", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(function () { return 1; })")]
    [InlineData("() => 1")]
    [InlineData("Math.max")]
    [InlineData("Symbol('x')")]
    public void AResultThatIsAFunctionIsNotData(string source)
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate(source));

        Assert.Equal("The expression returned a function or another value that is not data.", ex.Message);
    }

    [Fact]
    public void AnArrayOfMoreThanTenThousandItemsIsRefused()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("new Array(10001).fill(0)"));

        Assert.Contains("more than 10,000 items", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResultWhosePropertyGetterThrowsFailsCleanly()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("({ get secret() { throw new Error('boom'); } })"));

        Assert.Contains("boom", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResultWhosePropertyGetterLoopsIsStoppedCleanly()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("({ get secret() { while (true) {} } })", limits: NoHurry));

        Assert.Equal($"The expression ran more than {NoHurry.MaxStatements} statements and was stopped.", ex.Message);
    }

    [Fact]
    public void AnInvalidDateResultFailsCleanly()
    {
        var ex = Record.Exception(() => Evaluate("new Date(NaN)"));

        Assert.True(ex is null or ExpressionFailedException, $"Expected null or an ExpressionFailedException, got {ex}");
    }

    // ---------------------------------------------------------------- JSON in, JSON out

    [Theory]
    [InlineData("0")]
    [InlineData("1")]
    [InlineData("-3")]
    [InlineData("2.5")]
    [InlineData("-0.125")]
    [InlineData("123456789012")]
    [InlineData("\"text\"")]
    [InlineData("\"\"")]
    [InlineData("true")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("[1,\"two\",true,null,[3.5,[]]]")]
    [InlineData("{\"investor\":{\"name\":\"Northern Lights\",\"stateOwned\":false,\"shares\":[19.4,{\"class\":\"B\"}]},\"parent\":null}")]
    public void JsonValuesRoundTripThroughAVariable(string json)
    {
        var result = Evaluate("value", new JsonObject { ["value"] = JsonNode.Parse(json) });

        Assert.Equal(json, result?.ToJsonString() ?? "null");
    }

    [Fact]
    public void JavaScriptValuesComeOutAsJson()
    {
        var result = Evaluate("({ n: 1, x: 2.5, s: 'text', b: false, z: null, u: undefined, nan: NaN, f() { return 1; }, list: [1, 'two', [true]], nested: { deep: { deeper: -4 } } })");

        Assert.Equal("""{"n":1,"x":2.5,"s":"text","b":false,"z":null,"nan":null,"list":[1,"two",[true]],"nested":{"deep":{"deeper":-4}}}""", result!.ToJsonString());
    }

    [Fact]
    public void NumbersSetFromCodeAsLongIntDoubleOrDecimalReadAsNumbers()
    {
        var variables = new JsonObject
        {
            ["asLong"] = 5L,
            ["asInt"] = 3,
            ["asDouble"] = 2.5,
            ["asDecimal"] = 1.25m,
            ["nested"] = new JsonObject { ["asLong"] = 7L, ["list"] = new JsonArray(1, 2L, 0.5, 0.25m) },
        };

        var types = Evaluate("[typeof asLong, typeof asInt, typeof asDouble, typeof asDecimal, typeof nested.asLong, ...nested.list.map(v => typeof v)]", variables);
        var sum = Evaluate("asLong + asInt + asDouble + asDecimal + nested.asLong + nested.list.reduce((a, b) => a + b, 0)", variables);
        var strictlyEqual = Evaluate("asLong === 5 && asInt === 3 && asDouble === 2.5 && asDecimal === 1.25", variables);

        Assert.All(types!.AsArray(), t => Assert.Equal("number", t!.GetValue<string>()));
        Assert.Equal(9, types.AsArray().Count);
        Assert.Equal(22.5, sum!.GetValue<double>());
        Assert.True(strictlyEqual!.GetValue<bool>());
    }

    [Fact]
    public void NumbersSetFromCodeAsOtherNumericTypesReadAsNumbers()
    {
        var variables = new JsonObject
        {
            ["asShort"] = (short)2,
            ["asByte"] = (byte)3,
            ["asUnsigned"] = 4u,
            ["asUnsignedLong"] = 5ul,
            ["asFloat"] = 0.5f,
        };

        var result = Evaluate("[asShort, asByte, asUnsigned, asUnsignedLong, asFloat]", variables);

        Assert.Equal("[2,3,4,5,0.5]", result!.ToJsonString());
    }

    [Fact]
    public void VarsHoldsEveryVariable()
    {
        var variables = new JsonObject
        {
            ["host"] = "CA",
            ["risk-score"] = 4,
            ["case"] = "FI-2027-0001",
            ["two words"] = true,
            ["thresholds"] = new JsonObject { ["value"] = 500_000_000L },
        };

        Assert.Equal("host,risk-score,case,two words,thresholds", Evaluate("Object.keys(vars).join(',')", variables)!.GetValue<string>());
        Assert.Equal("CA|4|FI-2027-0001|true|500000000", Evaluate("[vars.host, vars['risk-score'], vars['case'], vars['two words'], vars.thresholds.value].join('|')", variables)!.GetValue<string>());
        Assert.True(Evaluate("vars.host === host && vars.thresholds.value === thresholds.value", variables)!.GetValue<bool>());
    }

    [Fact]
    public void AVariableNamedCaseIsOnlyReachableThroughVars()
    {
        var variables = new JsonObject { ["case"] = "FI-2027-0001" };

        Assert.Equal("FI-2027-0001", Evaluate("vars['case']", variables)!.GetValue<string>());
        Assert.Equal("FI-2027-0001", Evaluate("vars.case", variables)!.GetValue<string>());
        Assert.Equal("undefined", Evaluate("typeof globalThis['case']", variables)!.GetValue<string>());
    }

    [Fact]
    public void AnExpressionNamingCaseBareDoesNotParse()
    {
        Assert.False(ExpressionSandbox.TryPrepare("case", Defaults, out var expression, out var error));
        Assert.Null(expression);
        Assert.StartsWith("The expression does not parse: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VariablesThatAreNotIdentifiersAreOnlyInVars()
    {
        var variables = new JsonObject { ["risk-score"] = 4, ["default"] = 1 };

        Assert.Equal("undefined|undefined", Evaluate("typeof globalThis['risk-score'] + '|' + typeof globalThis['default']", variables)!.GetValue<string>());
        Assert.Equal(5, Evaluate("vars['risk-score'] + vars['default']", variables)!.GetValue<long>());
    }

    // ---------------------------------------------------------------- preparing

    [Fact]
    public void ASyntaxErrorIsReportedWithLineAndColumn()
    {
        var ok = ExpressionSandbox.TryPrepare("riskScore >= 3 &&\n  (riskLevel === 'high' ||\n  )", Defaults, out var expression, out var error);

        Assert.False(ok);
        Assert.Null(expression);
        Assert.StartsWith("The expression does not parse: ", error, StringComparison.Ordinal);
        Assert.Matches(@"\(line 3, column \d+\)\.$", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\t ")]
    public void AnEmptyExpressionIsRejected(string source)
    {
        Assert.False(ExpressionSandbox.TryPrepare(source, Defaults, out var expression, out var error));
        Assert.Null(expression);
        Assert.Equal("The expression is empty.", error);
    }

    [Fact]
    public void AnExpressionLongerThanTheLimitIsRejected()
    {
        var source = "1" + new string(' ', Defaults.MaxSourceLength);

        Assert.False(ExpressionSandbox.TryPrepare(source, Defaults, out var expression, out var error));
        Assert.Null(expression);
        Assert.Equal($"The expression is longer than {Defaults.MaxSourceLength} characters.", error);
    }

    [Fact]
    public void AnExpressionOfExactlyTheLongestLengthIsAccepted()
    {
        var source = "1" + new string(' ', Defaults.MaxSourceLength - 1);

        Assert.True(ExpressionSandbox.TryPrepare(source, Defaults, out var expression, out var error), error);
        Assert.Equal(source, expression!.Source);
    }

    [Fact]
    public void AssigningAnUndeclaredVariableFailsBecauseExpressionsAreStrict()
    {
        var ex = Assert.Throws<ExpressionFailedException>(() => Evaluate("undeclared = 5; undeclared"));

        Assert.Contains("undeclared is not defined", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("with (Math) { max(1, 2) }")]
    [InlineData("010 + 1")]
    [InlineData("var let = 1; let")]
    public void SloppyModeSyntaxDoesNotParse(string source)
    {
        Assert.False(ExpressionSandbox.TryPrepare(source, Defaults, out _, out var error));
        Assert.StartsWith("The expression does not parse: ", error, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- reuse

    [Fact]
    public void APreparedExpressionIsReusableAcrossSessionsAndEvaluations()
    {
        var expression = Prepare("riskScore * 2 + (host === 'CA' ? 1 : 0) + vars.bonus");
        var sessions = new[] { ExpressionSandbox.CreateSession(Defaults), ExpressionSandbox.CreateSession(Defaults), ExpressionSandbox.CreateSession(NoHurry) };

        for (var i = 0; i < 1_000; i++)
        {
            var session = sessions[i % sessions.Length];
            var host = i % 4 == 0 ? "CA" : "MX";
            session.SetVariables(new JsonObject { ["riskScore"] = i, ["host"] = host, ["bonus"] = i % 7 });

            var result = session.Evaluate(expression);

            Assert.Equal((i * 2) + (host == "CA" ? 1 : 0) + (i % 7), result!.GetValue<long>());
        }
    }

    [Fact]
    public void AVariableDroppedBetweenEvaluationsIsNoLongerVisible()
    {
        var session = ExpressionSandbox.CreateSession(Defaults);
        var expression = Prepare("typeof partner === 'undefined' ? 'none' : partner");

        session.SetVariables(new JsonObject { ["partner"] = "MX" });
        Assert.Equal("MX", session.Evaluate(expression)!.GetValue<string>());

        session.SetVariables(new JsonObject { ["host"] = "CA" });
        Assert.Equal("none", session.Evaluate(expression)!.GetValue<string>());
        Assert.Equal("host", session.Evaluate(Prepare("Object.keys(vars).join()"))!.GetValue<string>());
    }

    [Fact]
    public void AScriptThatDeclaresAConstantCanBeEvaluatedTwiceInOneSession()
    {
        var session = ExpressionSandbox.CreateSession(Defaults);
        var expression = Prepare("const doubled = riskScore * 2; doubled + 1");

        session.SetVariables(new JsonObject { ["riskScore"] = 1 });
        Assert.Equal(3, session.Evaluate(expression)!.GetValue<long>());
        session.SetVariables(new JsonObject { ["riskScore"] = 2 });
        Assert.Equal(5, session.Evaluate(expression)!.GetValue<long>());
    }

    [Fact]
    public void AFailedEvaluationDoesNotSpoilTheSession()
    {
        var session = ExpressionSandbox.CreateSession(Defaults);
        session.SetVariables(new JsonObject { ["riskScore"] = 4 });

        Assert.Throws<ExpressionFailedException>(() => session.Evaluate(Prepare(EndlessLoop)));
        Assert.Throws<ExpressionFailedException>(() => session.Evaluate(Prepare(DeepRecursion)));

        Assert.Equal(8, session.Evaluate(Prepare("riskScore * 2"))!.GetValue<long>());
    }

    // ---------------------------------------------------------------- through a running definition

    [Fact]
    public void AnEndlessLoopFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("if (filing.mode === 'loop') { while (true) {} } 'ok'", "loop", limits: null, out var incident);

        AssertStatementsOrTime(incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void DeepRecursionFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("function f(n) { return f(n + 1); } filing.mode === 'recurse' ? f(0) : 'ok'", "recurse", NoHurry, out var incident);

        Assert.Equal($"The expression recursed deeper than {NoHurry.RecursionDepth} calls and was stopped.", incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AMemoryBombFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("let a = []; while (filing.mode === 'bomb') { a.push('x'.repeat(1000000)); } 'ok'", "bomb", NoHurry, out var incident);

        Assert.Equal(MemoryMessage(NoHurry), incident.Message);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void ReachingForTheClrFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'clr' ? System.IO.File.ReadAllText('/etc/passwd') : 'ok'", "clr", limits: null, out var incident);

        Assert.StartsWith("The expression threw:", incident.Message, StringComparison.Ordinal);
        Assert.Contains("System is not defined", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void CompilingCodeFromAStringFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'eval' ? eval('\"ok\"') : 'ok'", "eval", limits: null, out var incident);

        Assert.StartsWith("The expression ", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AResultThatRefersToItselfFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("const o = {}; o.self = o; filing.mode === 'self' ? o : 'ok'", "self", limits: null, out var incident);

        Assert.Contains("refers to itself", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void AResultWhoseGetterThrowsFailsTheStepWithAClearIncident()
    {
        var h = StartFaulted("filing.mode === 'getter' ? ({ get boom() { throw new Error('boom'); } }) : 'ok'", "getter", limits: null, out var incident);

        Assert.Contains("boom", incident.Message, StringComparison.Ordinal);
        RetryAfterFixing(h, incident);
    }

    [Fact]
    public void TwoSettingsOfOneStepMayDeclareTheSameConstant()
    {
        const string json = """
            {
              "key": "constants",
              "name": "Constants",
              "start": "prepare",
              "steps": [
                {
                  "id": "prepare", "type": "assign",
                  "settings": { "set": { "host": "=const j = filing.jurisdiction; j", "partner": "=const j = filing.jurisdiction; j === 'CA' ? 'MX' : 'CA'" } },
                  "outcomes": { "done": "finish" }
                },
                { "id": "finish", "type": "end", "settings": { "status": "closed" } }
              ]
            }
            """;
        var compiled = CompiledDefinition.Compile(json, out var problems);
        Assert.Empty(problems);
        var h = new PipelineHarness(definition: compiled);

        var instance = h.Start(new JsonObject { ["jurisdiction"] = "CA" });

        Assert.True(instance.Incidents.Count == 0, string.Join("; ", instance.Incidents.Select(i => i.Message)));
        Assert.Equal(WorkflowStatus.Finished, instance.Status);
        Assert.Equal("CA", instance.Variables["host"]!.GetValue<string>());
        Assert.Equal("MX", instance.Variables["partner"]!.GetValue<string>());
    }

    // ---------------------------------------------------------------- helpers

    private static PreparedExpression Prepare(string source, ExpressionLimits? limits = null)
    {
        Assert.True(ExpressionSandbox.TryPrepare(source, limits ?? Defaults, out var expression, out var error), error);
        return expression!;
    }

    private static JsonNode? Evaluate(string source, JsonObject? variables = null, ExpressionLimits? limits = null)
    {
        limits ??= Defaults;
        var session = ExpressionSandbox.CreateSession(limits);
        session.SetVariables(variables ?? []);
        return session.Evaluate(Prepare(source, limits));
    }

    private static void AssertStatementsOrTime(string message) =>
        Assert.True(
            message.Contains($"ran more than {Defaults.MaxStatements} statements and was stopped", StringComparison.Ordinal)
            || message.Contains($"ran longer than {Defaults.Timeout.TotalMilliseconds:0} ms and was stopped", StringComparison.Ordinal),
            $"Expected the statement or time limit, got: {message}");

    private static string MemoryMessage(ExpressionLimits limits) =>
        $"The expression used more than {limits.MemoryBytes / (1024 * 1024)} MB of memory and was stopped.";

    /// <summary>
    /// Runs <c>check</c> (a decide step with the expression, its only outcome 'ok' leading to the end) for a
    /// filing whose mode makes the expression misbehave, and asserts the instance is faulted with one incident on the step.
    /// </summary>
    private static PipelineHarness StartFaulted(string expression, string mode, ExpressionLimits? limits, out Incident incident)
    {
        var json = new JsonObject
        {
            ["key"] = "sandbox",
            ["name"] = "Sandbox",
            ["start"] = "check",
            ["steps"] = new JsonArray(
                new JsonObject
                {
                    ["id"] = "check",
                    ["type"] = "decide",
                    ["settings"] = new JsonObject { ["expression"] = expression },
                    ["outcomes"] = new JsonObject { ["ok"] = "finish" },
                },
                new JsonObject { ["id"] = "finish", ["type"] = "end", ["settings"] = new JsonObject { ["status"] = "closed" } }),
        }.ToJsonString();
        var compiled = CompiledDefinition.Compile(json, out var problems, limits);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        var h = new PipelineHarness(definition: compiled);

        var instance = h.Start(new JsonObject { ["mode"] = mode });

        Assert.Equal(WorkflowStatus.Faulted, instance.Status);
        incident = Assert.Single(instance.Incidents);
        Assert.Equal("check", incident.StepId);
        Assert.Null(incident.ResolvedAt);
        Assert.False(string.IsNullOrWhiteSpace(incident.Message));
        Assert.Equal(TokenState.Faulted, Assert.Single(instance.Tokens).State);
        var entry = Assert.Single(instance.Journal);
        Assert.Equal("faulted", entry.Outcome);
        Assert.Equal(incident.Message, entry.Note);
        return h;
    }

    /// <summary>Fixes the filing so the expression behaves, retries the incident and expects the case to finish.</summary>
    private static void RetryAfterFixing(PipelineHarness h, Incident incident)
    {
        h.Instance.Variables["filing"]!.AsObject()["mode"] = "normal";

        var result = h.Runner.Retry(h.Definition, h.Instance, incident.Id);

        Assert.True(result.Succeeded, result.Message);
        Assert.NotNull(incident.ResolvedAt);
        Assert.Single(h.Instance.Incidents);
        Assert.Equal(WorkflowStatus.Finished, h.Instance.Status);
        Assert.Equal("closed", h.Instance.EndStatus);
        h.AssertTrace("check", "check", "finish");
        Assert.Equal(ResumeStatus.AlreadyResumed, h.Runner.Retry(h.Definition, h.Instance, incident.Id).Status);
    }
}
