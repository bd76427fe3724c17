using System.Text.Json;
using System.Text.Json.Nodes;

namespace Screening.Workflows.Expressions;

/// <summary>
/// Reads numbers from JSON values whatever CLR type backs them (a parsed document, or a long, int,
/// double or decimal set in code): <see cref="JsonValue.TryGetValue{T}"/> only converts between equal types.
/// </summary>
public static class JsonNumbers
{
    /// <summary>The number a JSON value holds, if it holds one.</summary>
    public static bool TryGetDouble(JsonNode? node, out double number)
    {
        number = 0;
        if (node is not JsonValue value)
        {
            return false;
        }

        if (value.TryGetValue(out double d)) { number = d; return true; }
        if (value.TryGetValue(out long l)) { number = l; return true; }
        if (value.TryGetValue(out int i)) { number = i; return true; }
        if (value.TryGetValue(out decimal m)) { number = (double)m; return true; }
        if (value.TryGetValue(out float f)) { number = f; return true; }
        if (value.TryGetValue(out short sh)) { number = sh; return true; }
        if (value.TryGetValue(out ushort ush)) { number = ush; return true; }
        if (value.TryGetValue(out byte b)) { number = b; return true; }
        if (value.TryGetValue(out sbyte sb)) { number = sb; return true; }
        if (value.TryGetValue(out uint ui)) { number = ui; return true; }
        if (value.TryGetValue(out ulong ul)) { number = ul; return true; }
        if (value.TryGetValue(out JsonElement e) && e.ValueKind == JsonValueKind.Number) { number = e.GetDouble(); return true; }
        return false;
    }

    /// <summary>The whole number a JSON value holds, if it holds one within the range of an int.</summary>
    public static bool TryGetInt(JsonNode? node, out int number)
    {
        number = 0;
        if (!TryGetDouble(node, out var d) || d != Math.Floor(d) || d is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        number = (int)d;
        return true;
    }
}
