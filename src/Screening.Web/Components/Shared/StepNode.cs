using Blazor.Diagrams.Core.Geometry;
using Blazor.Diagrams.Core.Models;

namespace Screening.Web.Components.Shared;

/// <summary>A step of a definition drawn on the diagram; red when validation found a problem in it.</summary>
public sealed class StepNode(string stepId, string type, string? name, bool hasProblem, Point position) : NodeModel(stepId, position)
{
    public string StepId { get; } = stepId;

    public string Type { get; } = type;

    public string? Name { get; } = name;

    public bool HasProblem { get; } = hasProblem;
}
