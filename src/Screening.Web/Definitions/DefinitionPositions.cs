using System.Text;
using System.Text.Json;

namespace Screening.Web.Definitions;

/// <summary>
/// Where each JSON path of a definition's text is, so the editor can mark a validation problem on its line. Paths are
/// written as the validator writes them (<c>$.steps[3].outcomes.done</c>); a property is found at its name, an item of
/// a list at its first character. A path that is not in the text (a required property that is missing) is found at
/// its nearest ancestor that is. Lines and columns count from 1, columns in UTF-16 units, as editors count them.
/// </summary>
public sealed class DefinitionPositions
{
    /// <summary>The same leniency as the definition's reader: comments and trailing commas are no syntax error.</summary>
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    private readonly Dictionary<string, Span> _spans = new(StringComparer.Ordinal);
    private readonly byte[] _utf8;
    private readonly List<int> _lineStarts = [0];

    private DefinitionPositions(string json)
    {
        _utf8 = Encoding.UTF8.GetBytes(json);
        for (var i = 0; i < _utf8.Length; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>A stretch of one line of the text.</summary>
    public sealed record Span(int Line, int StartColumn, int EndColumn);

    /// <summary>Where the text stops being JSON, if it does.</summary>
    public Span? SyntaxError { get; private set; }

    public static DefinitionPositions Of(string json)
    {
        var positions = new DefinitionPositions(json);
        positions.Walk();
        return positions;
    }

    /// <summary>Where a path is, or its nearest ancestor; the document's start when nothing of it is in the text.</summary>
    public Span Locate(string path)
    {
        if (path == "$" && SyntaxError is not null)
        {
            return SyntaxError;
        }

        for (var current = path; current is not null; current = Parent(current))
        {
            if (_spans.TryGetValue(current, out var span))
            {
                return span;
            }
        }

        return SyntaxError ?? new Span(1, 1, 2);
    }

    private static string? Parent(string path)
    {
        var cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
        return cut <= 0 ? null : path[..cut];
    }

    private void Walk()
    {
        var reader = new Utf8JsonReader(_utf8, Options);
        var containers = new Stack<(string Path, bool IsList, int Items)>();
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = $"{containers.Peek().Path}.{reader.GetString()}";
                        Add(property, (int)reader.TokenStartIndex, reader.ValueSpan.Length + 2);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers.Push((ValuePath(ref reader, containers, ref property, 1), reader.TokenType == JsonTokenType.StartArray, 0));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    case JsonTokenType.Comment:
                        break;
                    default:
                        ValuePath(ref reader, containers, ref property, reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.String ? 2 : 0));
                        break;
                }
            }
        }
        catch (JsonException ex) when (ex.LineNumber is { } line && ex.BytePositionInLine is { } position)
        {
            var start = (int)Math.Min(_lineStarts[(int)Math.Min(line, _lineStarts.Count - 1)] + position, _utf8.Length);
            SyntaxError = SpanAt(start, 1);
        }
    }

    /// <summary>The path of the value just read: its property's, an item's of its list, or the document's.</summary>
    private string ValuePath(ref Utf8JsonReader reader, Stack<(string Path, bool IsList, int Items)> containers, ref string? property, int length)
    {
        if (property is not null)
        {
            var path = property;
            property = null;
            return path;
        }

        if (containers.Count == 0)
        {
            Add("$", (int)reader.TokenStartIndex, 1);
            return "$";
        }

        var list = containers.Pop();
        containers.Push(list with { Items = list.Items + 1 });
        var item = $"{list.Path}[{list.Items}]";
        Add(item, (int)reader.TokenStartIndex, length);
        return item;
    }

    private void Add(string path, int start, int length) => _spans.TryAdd(path, SpanAt(start, length));

    private Span SpanAt(int start, int length)
    {
        var found = _lineStarts.BinarySearch(start);
        var line = found >= 0 ? found : ~found - 1;
        var lineStart = _lineStarts[line];
        var column = Encoding.UTF8.GetCharCount(_utf8, lineStart, start - lineStart) + 1;
        var end = Math.Min(start + length, _utf8.Length);
        var width = Math.Max(1, Encoding.UTF8.GetCharCount(_utf8, start, end - start));
        return new Span(line + 1, column, column + width);
    }
}
