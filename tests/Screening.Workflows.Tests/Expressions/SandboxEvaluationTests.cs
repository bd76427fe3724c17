using System.Text.Json.Nodes;
using Screening.Workflows.Expressions;
using static Screening.Workflows.Tests.Expressions.TestExpressions;

namespace Screening.Workflows.Tests.Expressions;

/// <summary>
/// How the sandbox reads variables and returns results as JSON, prepares (and refuses to prepare) expressions,
/// and reuses a prepared expression and a session.
/// </summary>
public class SandboxEvaluationTests
{
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
}
