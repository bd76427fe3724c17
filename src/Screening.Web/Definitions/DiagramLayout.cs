using GraphShape;
using GraphShape.Algorithms.Layout;
using QuikGraph;
using Screening.Workflows.Definitions;

namespace Screening.Web.Definitions;

/// <summary>
/// Where each step of a definition is drawn: a layered (Sugiyama) layout from left to right, as BPMN modellers
/// draw a process. Steps fall into columns by the longest path that reaches them, the order within a column is
/// chosen to cross as few connections as possible, and loops (a request for information back to its review) are
/// drawn as the connections back they are. Every step is placed once, broken connections left out, so a broken
/// definition still draws as the flow it was.
/// </summary>
public static class DiagramLayout
{
    /// <summary>The box a step is drawn in, its name wrapped to this width (app.css's <c>.step-node</c>).</summary>
    public const double NodeWidth = 170;

    public const double NodeHeight = 76;

    /// <summary>The space between columns, wide enough for an outcome's name on the connection across it.</summary>
    public const double ColumnGap = 110;

    public const double RowGap = 24;

    public const double Margin = 20;

    /// <summary>
    /// What the layout depends on: the steps and their connections, nothing else. An edit that changes a title or
    /// a period leaves it as it was, and the diagram keeps its layout (a layout of the shipped pipeline takes 0.1–0.2 s).
    /// </summary>
    public static string Shape(WorkflowDefinition definition) =>
        string.Join('\n', Connections(definition, out var steps).Select(c => $"{c.From}>{c.To}").Prepend(string.Join(',', steps)));

    /// <summary>Each step's top left corner, the first column and row at <see cref="Margin"/>.</summary>
    public static IReadOnlyDictionary<string, (double X, double Y)> Of(WorkflowDefinition definition)
    {
        var graph = new BidirectionalGraph<string, Edge<string>>(allowParallelEdges: false);
        var connections = Connections(definition, out var steps);
        graph.AddVertexRange(steps);
        graph.AddEdgeRange(connections.Select(c => new Edge<string>(c.From, c.To)));

        if (graph.VertexCount == 0)
        {
            return new Dictionary<string, (double, double)>();
        }

        var sizes = graph.Vertices.ToDictionary(v => v, _ => new Size(NodeWidth, NodeHeight), StringComparer.Ordinal);
        var parameters = new SugiyamaLayoutParameters { Direction = LayoutDirection.LeftToRight, LayerGap = ColumnGap, SliceGap = RowGap };
        // A fixed seed for the algorithm's random choices: the same definition is always drawn the same way.
        var layout = new SugiyamaLayoutAlgorithm<string, Edge<string>, BidirectionalGraph<string, Edge<string>>>(graph, sizes, parameters) { Rand = new Random(17) };
        layout.Compute();

        // The algorithm gives centres around the origin; the diagram wants corners from its margin. Its balanced
        // placement (the mean of four alignments) can bring two steps of a column closer than a box apart, so each
        // column is then pushed apart from the top down.
        var centres = layout.VerticesPositions;
        var left = centres.Values.Min(p => p.X) - NodeWidth / 2;
        var corners = centres.ToDictionary(c => c.Key, c => (X: Margin + c.Value.X - NodeWidth / 2 - left, Y: c.Value.Y - NodeHeight / 2), StringComparer.Ordinal);
        foreach (var column in corners.GroupBy(c => Math.Round(c.Value.X)).Select(g => g.OrderBy(c => c.Value.Y).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key).ToList()))
        {
            for (var i = 1; i < column.Count; i++)
            {
                var above = corners[column[i - 1]];
                var (x, y) = corners[column[i]];
                corners[column[i]] = (x, Math.Max(y, above.Y + NodeHeight + RowGap));
            }
        }

        var top = corners.Values.Min(p => p.Y);
        return corners.ToDictionary(c => c.Key, c => (c.Value.X, Margin + c.Value.Y - top), StringComparer.Ordinal);
    }

    /// <summary>The steps, each once, and the connections between two of them, each once; broken ones and loops on one step left out.</summary>
    private static List<(string From, string To)> Connections(WorkflowDefinition definition, out List<string> steps)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        steps = [.. definition.Steps.Select(s => s.Id).Where(ids.Add)];
        var connected = new HashSet<(string, string)>();
        var connections = new List<(string, string)>();
        foreach (var step in definition.Steps)
        {
            foreach (var outcome in step.Outcomes)
            {
                if (outcome.To != step.Id && ids.Contains(outcome.To) && connected.Add((step.Id, outcome.To)))
                {
                    connections.Add((step.Id, outcome.To));
                }
            }
        }

        return connections;
    }
}
