using System.Text.Json;
using System.Text.Json.Serialization;
using Screening.Workflows.Runtime;

namespace Screening.Web.Reviews;

/// <summary>
/// A task's words in each language its definition gives them, kept with the task when it opens (a templated title is
/// evaluated then), so the queue and the workspace speak the reader's language without reloading the definition.
/// A language the definition left out reads as English.
/// </summary>
public sealed record TaskTexts(
    IReadOnlyDictionary<string, string>? Title,
    IReadOnlyDictionary<string, string>? Description,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Outcomes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static TaskTexts Empty { get; } = new(null, null, null);

    public static TaskTexts Of(HumanTask work) => new(
        work.Titles?.Texts,
        work.Descriptions?.Texts,
        work.OutcomeLabels?.ToDictionary(o => o.Key, o => o.Value.Texts));

    public static TaskTexts Read(string? json) =>
        string.IsNullOrEmpty(json) ? Empty : JsonSerializer.Deserialize<TaskTexts>(json, Json) ?? Empty;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The title in <paramref name="language"/>, else English, else <paramref name="fallback"/>.</summary>
    public string TitleIn(string language, string fallback) => In(Title, language) ?? fallback;

    public string? DescriptionIn(string language, string? fallback) => In(Description, language) ?? fallback;

    /// <summary>An outcome's label in <paramref name="language"/>, else English, else its name.</summary>
    public string OutcomeIn(string outcome, string language) =>
        Outcomes is not null && Outcomes.TryGetValue(outcome, out var labels) ? In(labels, language) ?? outcome : outcome;

    private static string? In(IReadOnlyDictionary<string, string>? texts, string language) =>
        texts is null ? null : texts.TryGetValue(language, out var text) ? text : texts.TryGetValue("en", out var en) ? en : null;
}
