using Screening.Workflows.Expressions;
using static Screening.Workflows.Tests.Expressions.TestExpressions;

namespace Screening.Workflows.Tests.Expressions;

/// <summary>
/// The expression sandbox used directly (<see cref="ExpressionSandbox"/> and <see cref="ExpressionSession"/>):
/// code that runs away is stopped by a limit, nothing outside the sandbox is reachable, and a result that is not
/// data is refused. Failures are told apart by their message, never by how long they took.
/// </summary>
public class SandboxLimitTests
{
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
}
