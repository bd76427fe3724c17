using System.Text.Json.Nodes;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A workflow definition as an administrator writes it: a flowchart of steps with named outcomes
/// routed to next steps, default variables, and definition-wide events (such as a withdrawal) that
/// interrupt every branch and continue at a named step.
/// </summary>
public sealed class WorkflowDefinition
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

    /// <summary>Optional display name.</summary>
    public string? Name { get; init; }

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
