using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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

    // The same form without the journal, whose entries a store keeps apart.
    private static readonly JsonSerializerOptions HeaderOptions = new(Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(WorkflowInstance) && info.Properties.FirstOrDefault(p => p.Name == "journal") is { } journal)
                    {
                        info.Properties.Remove(journal);
                    }
                },
            },
        },
    };

    /// <summary>Serialises an instance.</summary>
    public static string Serialize(WorkflowInstance instance) => JsonSerializer.Serialize(instance, Options);

    /// <summary>
    /// Serialises an instance without its journal, for a store that keeps the journal's entries apart (they only
    /// grow, so rewriting them with every change would make a command's cost grow with the case's age). Read it
    /// back with <see cref="Deserialize"/> and add the entries to <see cref="WorkflowInstance.Journal"/> in order.
    /// </summary>
    public static string SerializeWithoutJournal(WorkflowInstance instance) => JsonSerializer.Serialize(instance, HeaderOptions);

    /// <summary>Deserialises an instance.</summary>
    public static WorkflowInstance Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkflowInstance>(json, Options) ?? throw new JsonException("The instance JSON is empty.");
}
