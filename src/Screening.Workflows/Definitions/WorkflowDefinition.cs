using System.Text.Json.Nodes;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A workflow definition as an administrator writes it: a flowchart of steps with named outcomes
/// routed to next steps, default variables, and definition-wide events (such as a withdrawal) that
/// interrupt every branch and continue at a named step.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Stable key, for example <c>bilateral-screening</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Human name.</summary>
    public required string Name { get; init; }

    /// <summary>Version number; the host assigns it on publish.</summary>
    public int Version { get; init; }

    /// <summary>Optional description.</summary>
    public string? Description { get; init; }

    /// <summary>Default variables of every instance (risk thresholds, lists).</summary>
    public JsonObject Variables { get; init; } = [];

    /// <summary>The id of the first step.</summary>
    public required string Start { get; init; }

    /// <summary>The steps, in document order.</summary>
    public required IReadOnlyList<StepDefinition> Steps { get; init; }

    /// <summary>Definition-wide events: name → step that handles it after every branch is cancelled.</summary>
    public IReadOnlyList<Route> Events { get; init; } = [];

    /// <summary>The roles its tasks and notifications go to, when it declares them.</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>The decision outcomes its decision steps record, when it declares them.</summary>
    public IReadOnlyList<string>? Decisions { get; init; }

    /// <summary>The statuses its end steps finish with, when it declares them.</summary>
    public IReadOnlyList<string>? EndStatuses { get; init; }

    /// <summary>
    /// What the host reads from the instance, by the host's name: which variable holds what it projects
    /// (for example <c>riskLevel</c>) and which event stands for what (for example <c>withdraw</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Bindings { get; init; } = new Dictionary<string, string>();

    /// <summary>The JSON the definition was read from.</summary>
    public JsonObject? Source { get; init; }

    /// <summary>The step with an id, or null.</summary>
    public StepDefinition? FindStep(string id) => Steps.FirstOrDefault(s => s.Id == id);
}

/// <summary>One step of a definition.</summary>
public sealed class StepDefinition
{
    /// <summary>Unique id within the definition.</summary>
    public required string Id { get; init; }

    /// <summary>Stable type string, for example <c>human-task</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Optional display name (English).</summary>
    public string? Name { get; init; }

    /// <summary>The display name in every language given.</summary>
    public LocalizedText? Names { get; init; }

    /// <summary>Labels of the outcomes in every language given, by outcome.</summary>
    public IReadOnlyDictionary<string, LocalizedText> OutcomeLabels { get; init; } = new Dictionary<string, LocalizedText>();

    /// <summary>Optional stage the case is in while this step runs (shown to users).</summary>
    public string? Stage { get; init; }

    /// <summary>Type-specific settings.</summary>
    public JsonObject Settings { get; init; } = [];

    /// <summary>Named outcomes and the step each routes to, in document order.</summary>
    public IReadOnlyList<Route> Outcomes { get; init; } = [];

    /// <summary>Position in the document's <c>steps</c> array (for JSON paths).</summary>
    public int Index { get; init; }

    /// <summary>The JSON path of this step.</summary>
    public string Path => $"$.steps[{Index}]";

    /// <summary>Display name, or the id.</summary>
    public string DisplayName => Name ?? Id;

    /// <summary>The step an outcome routes to, or null.</summary>
    public string? Target(string outcome) => Outcomes.FirstOrDefault(o => o.Name == outcome)?.To;

    /// <summary>True when the step has an outcome of that name.</summary>
    public bool HasOutcome(string outcome) => Outcomes.Any(o => o.Name == outcome);
}

/// <summary>A named connection to a step.</summary>
/// <param name="Name">The outcome or event name.</param>
/// <param name="To">The target step id (may be empty or dangling in an invalid draft).</param>
public sealed record Route(string Name, string To);
