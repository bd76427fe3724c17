using System.Text.Json;
using System.Text.Json.Serialization;

namespace Screening.Workflows.Runtime;

/// <summary>The one JSON form of an instance, for stores.</summary>
public static class WorkflowInstanceSerializer
{
    /// <summary>The options used (camelCase, enums as strings).</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Serialises an instance.</summary>
    public static string Serialize(WorkflowInstance instance) => JsonSerializer.Serialize(instance, Options);

    /// <summary>Deserialises an instance.</summary>
    public static WorkflowInstance Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowInstance>(json, Options) ?? throw new JsonException("The instance JSON is empty.");
}
