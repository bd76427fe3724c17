using Screening.Web.Definitions;
using Screening.Workflows.Definitions;

namespace Screening.Web.Tests.Definitions;

/// <summary>The diagram's layout: layered from left to right, every step placed once, no two steps on top of each other.</summary>
public sealed class DiagramLayoutTests
{
    private static WorkflowDefinition Read(string json) =>
        WorkflowDefinitionReader.Read(json).Definition ?? throw new InvalidOperationException("The definition did not read.");

    private static WorkflowDefinition Shipped() =>
        Read(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "bilateral-screening.json")));

    private static bool Overlap((double X, double Y) a, (double X, double Y) b) =>
        a.X < b.X + DiagramLayout.NodeWidth && b.X < a.X + DiagramLayout.NodeWidth
        && a.Y < b.Y + DiagramLayout.NodeHeight && b.Y < a.Y + DiagramLayout.NodeHeight;

    [Fact]
    public void EveryStepOfTheShippedPipelineIsPlacedOnceWithNoTwoOnTopOfEachOtherAndTheStartFirst()
    {
        var definition = Shipped();
        var positions = DiagramLayout.Of(definition);

        Assert.Equal(definition.Steps.Select(s => s.Id).ToHashSet(), positions.Keys.ToHashSet());
        var placed = positions.ToList();
        for (var i = 0; i < placed.Count; i++)
        {
            for (var j = i + 1; j < placed.Count; j++)
            {
                Assert.False(Overlap(placed[i].Value, placed[j].Value), $"{placed[i].Key} and {placed[j].Key} overlap");
            }
        }

        Assert.Equal(DiagramLayout.Margin, positions[definition.Start].X);
        Assert.Equal(DiagramLayout.Margin, positions.Values.Min(p => p.Y));
        // Most connections run forward, to a later column; the few that run back are the pipeline's loops.
        var connections = definition.Steps.SelectMany(s => s.Outcomes.Select(o => (From: s.Id, o.To))).Where(c => positions.ContainsKey(c.To) && c.From != c.To).ToList();
        var forward = connections.Count(c => positions[c.To].X > positions[c.From].X);
        Assert.True(forward >= connections.Count * 0.85, $"{forward} of {connections.Count} connections run forward");
    }

    [Fact]
    public void AChainRunsLeftToRightInOneRowAndABranchSplitsIntoRowsOfTheNextColumn()
    {
        var definition = Read("""
            {
              "key": "layout", "name": "Layout", "start": "a",
              "steps": [
                { "id": "a", "type": "human-task", "settings": { "role": "officer", "outcomes": ["go"] }, "outcomes": { "go": "b" } },
                { "id": "b", "type": "human-task", "settings": { "role": "officer", "outcomes": ["left", "right"] }, "outcomes": { "left": "c", "right": "d" } },
                { "id": "c", "type": "end", "settings": { "status": "cleared" } },
                { "id": "d", "type": "end", "settings": { "status": "cleared" } }
              ]
            }
            """);
        var p = DiagramLayout.Of(definition);

        Assert.True(p["a"].X < p["b"].X && p["b"].X < p["c"].X, $"a {p["a"]}, b {p["b"]}, c {p["c"]}");
        Assert.Equal(p["b"].X + DiagramLayout.NodeWidth + DiagramLayout.ColumnGap, p["c"].X);
        Assert.Equal(p["c"].X, p["d"].X);
        Assert.NotEqual(p["c"].Y, p["d"].Y);
        Assert.True(Math.Abs(p["c"].Y - p["d"].Y) >= DiagramLayout.NodeHeight + DiagramLayout.RowGap - 0.001);
    }

    [Fact]
    public void ABrokenConnectionIsLeftOutAndItsStepsAreStillPlaced()
    {
        var definition = Read("""
            {
              "key": "layout", "name": "Layout", "start": "a",
              "steps": [
                { "id": "a", "type": "human-task", "settings": { "role": "officer", "outcomes": ["go"] }, "outcomes": { "go": "nowhere" } },
                { "id": "b", "type": "end", "settings": { "status": "cleared" } }
              ]
            }
            """);

        var positions = DiagramLayout.Of(definition);

        Assert.Equal(["a", "b"], positions.Keys.Order());
        Assert.False(Overlap(positions["a"], positions["b"]));
    }

    [Fact]
    public void TheLayoutIsTheSameEachTimeAndKeptThroughAnEditThatChangesNoConnection()
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "bilateral-screening.json"));
        var shipped = Read(json);
        var retitled = Read(json.Replace("Certify completeness", "Certify that it is complete", StringComparison.Ordinal));
        var rewired = Read(json.Replace("\"done\": \"filing-kind\"", "\"done\": \"no-such-step\"", StringComparison.Ordinal));

        Assert.Equal(DiagramLayout.Of(shipped), DiagramLayout.Of(shipped));
        Assert.Equal(DiagramLayout.Shape(shipped), DiagramLayout.Shape(retitled));
        Assert.NotEqual(DiagramLayout.Shape(shipped), DiagramLayout.Shape(rewired));
    }
}
