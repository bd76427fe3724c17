using System.Text.Json;
using System.Text.Json.Nodes;

namespace Screening.Workflows.Definitions;

/// <summary>The result of reading a definition: the model when the shape allowed it, and every problem found.</summary>
public sealed record DefinitionReadResult(WorkflowDefinition? Definition, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>What does not stop the definition from running (missing translations).</summary>
    public IReadOnlyList<ValidationProblem> Warnings { get; init; } = [];
}

/// <summary>Reads a definition's JSON into the model, reporting shape problems by JSON path.</summary>
public static class WorkflowDefinitionReader
{
    /// <summary>Most steps a definition may have: far above any real pipeline, low enough to validate fast.</summary>
    public const int MaxSteps = 500;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, AllowDuplicateProperties = false };

    /// <summary>Reads a definition from JSON text.</summary>
    public static DefinitionReadResult Read(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return new(null, [new("$", ProblemCodes.InvalidJson, $"The definition is not valid JSON: {ex.Message}")]);
        }
        catch (InvalidOperationException ex)
        {
            return new(null, [new("$", ProblemCodes.InvalidJson, $"The definition holds text that cannot be read: {ex.Message}")]);
        }

        if (node is not JsonObject root)
        {
            return new(null, [new("$", ProblemCodes.InvalidJson, "The definition must be a JSON object.")]);
        }

        try
        {
            return Read(root);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            // Text that is not valid Unicode (a lone surrogate escape) surfaces only when a value is read.
            return new(null, [new("$", ProblemCodes.InvalidJson, $"The definition holds text that cannot be read: {ex.Message}")]);
        }
    }

    /// <summary>Reads a definition from a parsed JSON object.</summary>
    public static DefinitionReadResult Read(JsonObject root)
    {
        var problems = new List<ValidationProblem>();
        var warnings = new List<ValidationProblem>();
        var key = RequiredString(root, "key", "$.key", problems);
        if (key is not null && !IsSlug(key))
        {
            problems.Add(new("$.key", ProblemCodes.InvalidField, "The key may hold only lower-case letters, digits and hyphens, and must start with a letter (at most 64 characters)."));
        }

        var name = RequiredString(root, "name", "$.name", problems);
        var start = RequiredString(root, "start", "$.start", problems);
        var description = root["description"] is JsonValue d && d.TryGetValue<string>(out var desc) ? desc : null;

        var version = 0;
        if (root["version"] is { } v)
        {
            if (!Expressions.JsonNumbers.TryGetInt(v, out version) || version < 0)
            {
                problems.Add(new("$.version", ProblemCodes.InvalidField, "The version must be a whole number of 0 or more."));
            }
        }

        var variables = new JsonObject();
        if (root["variables"] is { } vars)
        {
            if (vars is JsonObject vo)
            {
                variables = (JsonObject)vo.DeepClone();
            }
            else
            {
                problems.Add(new("$.variables", ProblemCodes.InvalidField, "Variables must be an object of names and default values."));
            }
        }

        var steps = new List<StepDefinition>();
        if (root["steps"] is not JsonArray stepArray)
        {
            problems.Add(new("$.steps", ProblemCodes.MissingField, "The definition needs a 'steps' array."));
        }
        else if (stepArray.Count > MaxSteps)
        {
            problems.Add(new("$.steps", ProblemCodes.TooLarge, $"A definition may have at most {MaxSteps} steps; this one has {stepArray.Count}."));
        }
        else
        {
            for (var i = 0; i < stepArray.Count; i++)
            {
                var step = ReadStep(stepArray[i], i, problems, warnings);
                if (step is not null)
                {
                    steps.Add(step);
                }
            }
        }

        var events = new List<Route>();
        if (root["events"] is { } ev)
        {
            if (ev is JsonObject eo)
            {
                foreach (var (eventName, target) in eo)
                {
                    events.Add(new(eventName, TargetOf(target, $"$.events.{eventName}", problems)));
                }
            }
            else
            {
                problems.Add(new("$.events", ProblemCodes.InvalidField, "Events must be an object of event names and the step that handles each."));
            }
        }

        var roles = Words(root, "roles", problems);
        var decisions = Words(root, "decisions", problems);
        var endStatuses = Words(root, "endStatuses", problems);
        var bindings = new Dictionary<string, string>();
        if (root["bindings"] is { } b)
        {
            if (b is JsonObject bo && bo.All(p => p.Value is JsonValue pv && pv.TryGetValue<string>(out _)))
            {
                foreach (var (binding, value) in bo)
                {
                    bindings[binding] = value!.GetValue<string>();
                }
            }
            else
            {
                problems.Add(new("$.bindings", ProblemCodes.InvalidField, "Bindings must be an object of names and the variable or event each names."));
            }
        }

        if (key is null || name is null || start is null)
        {
            return new(null, problems) { Warnings = warnings };
        }

        var definition = new WorkflowDefinition
        {
            Key = key,
            Name = name,
            Version = version,
            Description = description,
            Variables = variables,
            Start = start,
            Steps = steps,
            Events = events,
            Roles = roles,
            Decisions = decisions,
            EndStatuses = endStatuses,
            Bindings = bindings,
            Source = root,
        };
        return new(definition, problems) { Warnings = warnings };
    }

    private static List<string>? Words(JsonObject root, string property, List<ValidationProblem> problems)
    {
        switch (root[property])
        {
            case null:
                return null;
            case JsonArray list when list.All(w => w is JsonValue v && v.TryGetValue<string>(out var t) && t.Length > 0):
                return [.. list.Select(w => w!.GetValue<string>()).Distinct()];
            default:
                problems.Add(new($"$.{property}", ProblemCodes.InvalidField, $"'{property}' must be a list of words."));
                return null;
        }
    }

    /// <summary>A text given as a string (English) or as an object of texts by language; missing languages are warned about.</summary>
    private static LocalizedText? Text(JsonNode? node, string path, string? stepId, List<ValidationProblem> problems, List<ValidationProblem> warnings)
    {
        Dictionary<string, string> texts;
        switch (node)
        {
            case null:
                return null;
            case JsonValue v when v.TryGetValue<string>(out var english):
                texts = new() { ["en"] = english };
                break;
            case JsonObject o when o.All(t => LocalizedText.Languages.Contains(t.Key) && t.Value is JsonValue tv && tv.TryGetValue<string>(out _)) && o.ContainsKey("en"):
                texts = o.ToDictionary(t => t.Key, t => t.Value!.GetValue<string>());
                break;
            default:
                problems.Add(new(path, ProblemCodes.InvalidField, $"A text is a string (English) or an object of texts by language with at least 'en': {string.Join(", ", LocalizedText.Languages)}.", stepId));
                return null;
        }

        if (LocalizedText.MissingLanguages(texts.Keys, path) is { } missing)
        {
            warnings.Add(new(path, ProblemCodes.MissingTranslation, $"No {missing}", stepId));
        }

        return new LocalizedText(texts);
    }

    private static StepDefinition? ReadStep(JsonNode? node, int index, List<ValidationProblem> problems, List<ValidationProblem> warnings)
    {
        var path = $"$.steps[{index}]";
        if (node is not JsonObject step)
        {
            problems.Add(new(path, ProblemCodes.InvalidField, "A step must be an object with an 'id' and a 'type'."));
            return null;
        }

        var id = RequiredString(step, "id", $"{path}.id", problems);
        var type = RequiredString(step, "type", $"{path}.type", problems);
        if (id is null || type is null)
        {
            return null;
        }

        var settings = new JsonObject();
        if (step["settings"] is { } s)
        {
            if (s is JsonObject so)
            {
                settings = so;
            }
            else
            {
                problems.Add(new($"{path}.settings", ProblemCodes.InvalidField, $"The settings of step '{id}' must be an object.", id));
            }
        }

        var outcomes = new List<Route>();
        if (step["outcomes"] is { } o)
        {
            if (o is JsonObject oo)
            {
                foreach (var (outcome, target) in oo)
                {
                    outcomes.Add(new(outcome, TargetOf(target, $"{path}.outcomes.{outcome}", problems, id)));
                }
            }
            else
            {
                problems.Add(new($"{path}.outcomes", ProblemCodes.InvalidField, $"The outcomes of step '{id}' must be an object of outcome names and next step ids.", id));
            }
        }

        var names = Text(step["name"], $"{path}.name", id, problems, warnings);
        var labels = new Dictionary<string, LocalizedText>();
        if (step["labels"] is JsonObject lo)
        {
            foreach (var (outcome, label) in lo)
            {
                if (outcomes.All(r => r.Name != outcome))
                {
                    problems.Add(new($"{path}.labels.{outcome}", ProblemCodes.DanglingConnection, $"Step '{id}' labels '{outcome}', which is not one of its outcomes.", id));
                }
                else if (Text(label, $"{path}.labels.{outcome}", id, problems, warnings) is { } text)
                {
                    labels[outcome] = text;
                }
            }
        }
        else if (step["labels"] is not null)
        {
            problems.Add(new($"{path}.labels", ProblemCodes.InvalidField, $"The labels of step '{id}' must be an object of outcome names and their texts.", id));
        }

        return new StepDefinition
        {
            Id = id,
            Type = type,
            Name = names?.En,
            Names = names,
            OutcomeLabels = labels,
            Stage = step["stage"] is JsonValue st && st.TryGetValue<string>(out var stage) ? stage : null,
            Settings = settings,
            Outcomes = outcomes,
            Index = index,
        };
    }

    private static string TargetOf(JsonNode? node, string path, List<ValidationProblem> problems, string? stepId = null)
    {
        if (node is JsonValue value && value.TryGetValue<string>(out var target))
        {
            return target;
        }

        problems.Add(new(path, ProblemCodes.InvalidField, "A connection must name the id of the next step as a string.", stepId));
        return string.Empty;
    }

    private static string? RequiredString(JsonObject obj, string property, string path, List<ValidationProblem> problems)
    {
        if (obj[property] is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text))
        {
            if (text.Length > 200)
            {
                problems.Add(new(path, ProblemCodes.InvalidField, $"'{property}' may be at most 200 characters long."));
                return null;
            }

            return text;
        }

        problems.Add(new(path, ProblemCodes.MissingField, $"'{property}' is required and must be a non-empty string."));
        return null;
    }

    private static bool IsSlug(string key) =>
        key.Length <= 64 && char.IsAsciiLetterLower(key[0]) && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
