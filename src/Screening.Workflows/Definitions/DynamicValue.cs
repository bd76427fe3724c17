using System.Globalization;
using System.Text.Json.Nodes;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A setting that is either a literal or, when written as a string starting with <c>=</c>, an
/// expression evaluated when the step runs (for example <c>"jurisdiction": "=host"</c>).
/// </summary>
public sealed class DynamicValue
{
    private DynamicValue(JsonNode? literal, PreparedExpression? expression)
    {
        Literal = literal;
        Expression = expression;
    }

    /// <summary>The literal, when the setting is not an expression.</summary>
    public JsonNode? Literal { get; }

    /// <summary>The expression, when the setting is one.</summary>
    public PreparedExpression? Expression { get; }

    /// <summary>A literal value.</summary>
    public static DynamicValue Of(JsonNode? literal) => new(literal?.DeepClone(), null);

    /// <summary>An expression value.</summary>
    public static DynamicValue Of(PreparedExpression expression) => new(null, expression);

    /// <summary>The value now.</summary>
    public JsonNode? Evaluate(ExpressionSession session) => Expression is null ? Literal : session.Evaluate(Expression);

    /// <summary>The value as text (numbers and booleans in their JSON form), or null.</summary>
    public string? EvaluateString(ExpressionSession session) => AsString(Evaluate(session));

    /// <summary>The value as a whole number.</summary>
    /// <exception cref="ExpressionFailedException">The value is not a whole number.</exception>
    public int EvaluateInt(ExpressionSession session, string what)
    {
        var value = Evaluate(session);
        if (JsonNumbers.TryGetDouble(value, out var d) && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
        {
            return (int)d;
        }

        if (value is JsonValue s && s.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw new ExpressionFailedException($"{what} must be a whole number, but was {value?.ToJsonString() ?? "null"}.");
    }

    /// <summary>Text of a JSON scalar.</summary>
    public static string? AsString(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v when JsonNumbers.TryGetDouble(v, out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };
}
