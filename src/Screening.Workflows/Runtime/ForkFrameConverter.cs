using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Screening.Workflows.Runtime;

/// <summary>Writes a fork frame as an object; also reads the older <c>"f3/2"</c> string form of stored instances.</summary>
internal sealed class ForkFrameConverter : JsonConverter<ForkFrame>
{
    public override ForkFrame Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString() ?? string.Empty;
            var slash = text.LastIndexOf('/');
            return slash < 0 ? throw new JsonException($"'{text}' is not a fork frame.")
                : new ForkFrame(text[..slash], int.Parse(text[(slash + 1)..], CultureInfo.InvariantCulture));
        }

        string? id = null;
        var branches = 0;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A fork frame is an object.");
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase))
            {
                id = reader.GetString();
            }
            else if (string.Equals(name, "branches", StringComparison.OrdinalIgnoreCase))
            {
                branches = reader.GetInt32();
            }
            else
            {
                reader.Skip();
            }
        }

        return new ForkFrame(id ?? throw new JsonException("A fork frame needs an id."), branches);
    }

    public override void Write(Utf8JsonWriter writer, ForkFrame value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("id", value.Id);
        writer.WriteNumber("branches", value.Branches);
        writer.WriteEndObject();
    }
}
