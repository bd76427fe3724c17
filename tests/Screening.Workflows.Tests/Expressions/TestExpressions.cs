using System.Text.Json.Nodes;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Tests.Expressions;

/// <summary>The limits and scripts the sandbox tests run with, and how they prepare and evaluate an expression.</summary>
internal static class TestExpressions
{
    public static readonly ExpressionLimits Defaults = new();

    /// <summary>Default limits with a wall clock so generous that another limit always trips first.</summary>
    public static readonly ExpressionLimits NoHurry = new() { Timeout = TimeSpan.FromMinutes(2) };

    public const string EndlessLoop = "while (true) {}";
    public const string DeepRecursion = "function f(n) { return f(n + 1); } f(0)";
    public const string MemoryBomb = "let a = []; while (true) { a.push('x'.repeat(1000000)); }";

    public static PreparedExpression Prepare(string source, ExpressionLimits? limits = null)
    {
        Assert.True(ExpressionSandbox.TryPrepare(source, limits ?? Defaults, out var expression, out var error), error);
        return expression!;
    }

    public static JsonNode? Evaluate(string source, JsonObject? variables = null, ExpressionLimits? limits = null)
    {
        limits ??= Defaults;
        var session = ExpressionSandbox.CreateSession(limits);
        session.SetVariables(variables ?? []);
        return session.Evaluate(Prepare(source, limits));
    }

    public static void AssertStatementsOrTime(string message) =>
        Assert.True(
            message.Contains($"ran more than {Defaults.MaxStatements} statements and was stopped", StringComparison.Ordinal)
            || message.Contains($"ran longer than {Defaults.Timeout.TotalMilliseconds:0} ms and was stopped", StringComparison.Ordinal),
            $"Expected the statement or time limit, got: {message}");

    public static string MemoryMessage(ExpressionLimits limits) =>
        $"The expression used more than {limits.MemoryBytes / (1024 * 1024)} MB of memory and was stopped.";
}
