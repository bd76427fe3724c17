using Screening.Web.Definitions;

namespace Screening.Web.Tests.Definitions;

/// <summary>Where the editor marks a validation problem: the line and columns of its JSON path in the text.</summary>
public sealed class DefinitionPositionsTests
{
    private static string Shipped() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "workflows", "bilateral-screening.json"));

    private static string Line(string text, int line) => text.Split('\n')[line - 1];

    [Fact]
    public async Task EveryProblemOfABrokenShippedPipelineIsFoundOnTheLineThatCausesIt()
    {
        var json = Shipped().Replace("\"done\": \"filing-kind\"", "\"done\": \"no-such-step\"", StringComparison.Ordinal)
            .Replace("\"type\": \"decision-table\"", "\"type\": \"no-such-type\"", StringComparison.Ordinal);
        var result = await new ValidateDefinitionHandler().Handle(new ValidateDefinition(json), CancellationToken.None);
        var positions = DefinitionPositions.Of(json);

        var dangling = positions.Locate(Assert.Single(result.Problems, p => p.Message.Contains("no-such-step", StringComparison.Ordinal)).Path);
        var text = Line(json, dangling.Line);
        Assert.Contains("\"done\": \"no-such-step\"", text, StringComparison.Ordinal);
        Assert.Equal("\"done\"", text[(dangling.StartColumn - 1)..(dangling.EndColumn - 1)]);
        var type = positions.Locate(Assert.Single(result.Problems, p => p.Path.EndsWith(".type", StringComparison.Ordinal)).Path);
        Assert.Contains("\"type\": \"no-such-type\"", Line(json, type.Line), StringComparison.Ordinal);
    }

    [Fact]
    public void AnItemOfAListIsFoundAtItsValueAndAMissingPropertyAtItsNearestAncestor()
    {
        const string json = "{\n  \"steps\": [\n    { \"id\": \"a\" },\n    {\n      \"id\": \"b\",\n      \"settings\": { \"role\": \"officer\" }\n    }\n  ]\n}";
        var positions = DefinitionPositions.Of(json);

        Assert.Equal(new DefinitionPositions.Span(3, 5, 6), positions.Locate("$.steps[0]"));
        Assert.Equal(4, positions.Locate("$.steps[1]").Line);
        Assert.Equal(new DefinitionPositions.Span(6, 7, 17), positions.Locate("$.steps[1].settings.title"));
        Assert.Equal(6, positions.Locate("$.steps[1].settings.role").Line);
        Assert.Equal(2, positions.Locate("$.steps[7].id").Line);
        Assert.Equal(new DefinitionPositions.Span(1, 1, 2), positions.Locate("$.nothing"));
        Assert.Null(positions.SyntaxError);
    }

    [Fact]
    public void ColumnsCountCharactersAsEditorsDoNotBytes()
    {
        const string json = "{ \"name\": \"Révision — étape\", \"next\": true }";
        var next = DefinitionPositions.Of(json).Locate("$.next");

        Assert.Equal(1, next.Line);
        Assert.Equal(json.IndexOf("\"next\"", StringComparison.Ordinal) + 1, next.StartColumn);
        Assert.Equal("\"next\"".Length, next.EndColumn - next.StartColumn);
    }

    [Fact]
    public void TextThatIsNotJsonIsMarkedWhereItStopsBeingJson()
    {
        const string json = "{\n  \"key\": \"k\"\n  \"name\": \"n\"\n}";
        var positions = DefinitionPositions.Of(json);

        Assert.Equal(3, positions.SyntaxError?.Line);
        Assert.Equal(positions.SyntaxError, positions.Locate("$"));
        Assert.Equal(2, positions.Locate("$.key").Line);
    }
}
