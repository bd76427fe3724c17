using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Definitions;

/// <summary>
/// Reads one step's settings for its step type: values and <c>=expressions</c> (prepared once), periods,
/// translated texts and the definition's own words, reporting every problem with its JSON path.
/// </summary>
public sealed class SettingsReader
{
    private readonly ExpressionLimits _limits;
    private readonly List<ValidationProblem> _problems;
    private readonly List<ValidationProblem> _warnings;

    internal SettingsReader(StepDefinition step, WorkflowDefinition definition, DefinitionVocabulary vocabulary, ExpressionLimits limits, List<ValidationProblem> problems, List<ValidationProblem> warnings)
    {
        Step = step;
        Definition = definition;
        Vocabulary = vocabulary;
        _limits = limits;
        _problems = problems;
        _warnings = warnings;
    }

    /// <summary>The step being read.</summary>
    public StepDefinition Step { get; }

    /// <summary>The definition it belongs to.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>The words the definition may use for roles, decisions and end statuses.</summary>
    public DefinitionVocabulary Vocabulary { get; }

    /// <summary>The raw settings.</summary>
    public JsonObject Settings => Step.Settings;

    /// <summary>The JSON path of the settings.</summary>
    public string SettingsPath => $"{Step.Path}.settings";

    /// <summary>Reports a problem with a setting.</summary>
    public void Problem(string property, string code, string message) => ProblemAt($"{SettingsPath}.{property}", code, message);

    /// <summary>Reports a problem at a path.</summary>
    public void ProblemAt(string path, string code, string message) => _problems.Add(new(path, code, message, Step.Id));

    /// <summary>Reports something that does not stop the definition from running (a missing translation).</summary>
    public void Warning(string path, string code, string message) => _warnings.Add(new(path, code, message, Step.Id));

    /// <summary>A string setting, or null.</summary>
    public string? OptionalString(string property) =>
        Settings[property] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A value or expression setting; reports it when required and missing.</summary>
    public DynamicValue? Value(string property, bool required)
    {
        var node = Settings[property];
        if (node is null)
        {
            if (required)
            {
                Problem(property, ProblemCodes.MissingField, $"Step '{Step.Id}' needs '{property}'.");
            }

            return null;
        }

        return ValueAt(node, $"{SettingsPath}.{property}");
    }

    /// <summary>A value or expression at a path.</summary>
    public DynamicValue? ValueAt(JsonNode? node, string path)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith('='))
        {
            return Prepare(text[1..], path) is { } e ? DynamicValue.Of(e) : null;
        }

        return DynamicValue.Of(node);
    }

    /// <summary>A required expression setting (with or without a leading <c>=</c>).</summary>
    public PreparedExpression? Expression(string property)
    {
        var node = Settings[property];
        if (node is null)
        {
            Problem(property, ProblemCodes.MissingField, $"Step '{Step.Id}' needs '{property}'.");
            return null;
        }

        return ExpressionAt(node, $"{SettingsPath}.{property}");
    }

    /// <summary>An expression at a path.</summary>
    public PreparedExpression? ExpressionAt(JsonNode? node, string path)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            ProblemAt(path, ProblemCodes.InvalidField, "An expression must be a string of JavaScript.");
            return null;
        }

        return Prepare(text.StartsWith('=') ? text[1..] : text, path);
    }

    /// <summary>
    /// A translated text: a string (English) or <c>{ "en", "fr", "es" }</c>, each a literal or an <c>=expression</c>.
    /// A language missing from an object is a warning; a plain string is English only and warned about too.
    /// </summary>
    public LocalizedValue? Text(string property, bool required) => TextAt(Settings[property], $"{SettingsPath}.{property}", required);

    /// <summary>A translated text at a path.</summary>
    public LocalizedValue? TextAt(JsonNode? node, string path, bool required)
    {
        switch (node)
        {
            case null:
                if (required)
                {
                    ProblemAt(path, ProblemCodes.MissingField, $"Step '{Step.Id}' needs '{path[(path.LastIndexOf('.') + 1)..]}'.");
                }

                return null;
            case JsonValue v when v.TryGetValue<string>(out _):
                WarnMissing(path, ["en"]);
                return ValueAt(node, path) is { } single ? new LocalizedValue([("en", single)]) : null;
            case JsonObject texts:
                var values = new List<(string, DynamicValue)>();
                foreach (var (language, text) in texts)
                {
                    if (!LocalizedText.Languages.Contains(language))
                    {
                        ProblemAt($"{path}.{language}", ProblemCodes.InvalidField, $"'{language}' is not a language of the application; use {string.Join(", ", LocalizedText.Languages)}.");
                    }
                    else if (text is not JsonValue tv || !tv.TryGetValue<string>(out _))
                    {
                        ProblemAt($"{path}.{language}", ProblemCodes.InvalidField, "A text must be a string.");
                    }
                    else if (ValueAt(text, $"{path}.{language}") is { } value)
                    {
                        values.Add((language, value));
                    }
                }

                if (!texts.ContainsKey("en"))
                {
                    ProblemAt(path, ProblemCodes.MissingField, "A text needs at least its English version ('en'), which readers of other languages fall back to.");
                }

                WarnMissing(path, [.. texts.Select(t => t.Key)]);
                return values.Count == 0 ? null : new LocalizedValue(values);
            default:
                ProblemAt(path, ProblemCodes.InvalidField, "A text is a string (English) or an object of texts by language: { \"en\": …, \"fr\": …, \"es\": … }.");
                return null;
        }
    }

    /// <summary>A period: <c>{ "days", "unit", "calendar" }</c>; reports it when required and missing.</summary>
    public DueRule? Due(string property, bool required)
    {
        var node = Settings[property];
        if (node is null)
        {
            if (required)
            {
                Problem(property, ProblemCodes.MissingField, $"Step '{Step.Id}' needs '{property}': an object with days and unit.");
            }

            return null;
        }

        if (node is not JsonObject obj)
        {
            Problem(property, ProblemCodes.InvalidField, $"'{property}' of step '{Step.Id}' must be an object with days, unit and optionally calendar.");
            return null;
        }

        return DueAt(obj, $"{SettingsPath}.{property}");
    }

    /// <summary>A period at a path.</summary>
    public DueRule? DueAt(JsonObject obj, string path)
    {
        var days = obj["days"] is { } d ? ValueAt(d, $"{path}.days") : null;
        if (days is null)
        {
            ProblemAt($"{path}.days", ProblemCodes.MissingField, "A period needs 'days'.");
        }
        else if (days.Literal is not null && !IsDayCount(days.Literal))
        {
            ProblemAt($"{path}.days", ProblemCodes.InvalidField, $"Step '{Step.Id}': 'days' must be a whole number from 0 to {BusinessCalendar.MaxDays}.");
        }

        var unit = obj["unit"] is { } u ? ValueAt(u, $"{path}.unit") : DynamicValue.Of(JsonValue.Create("calendar"));
        CheckUnit(unit, $"{path}.unit");
        var calendar = obj["calendar"] is { } c ? ValueAt(c, $"{path}.calendar") : null;
        return days is null || unit is null ? null : new DueRule(days, unit, calendar);
    }

    /// <summary>Reports a literal unit of days that is not one.</summary>
    public void CheckUnit(DynamicValue? unit, string path)
    {
        if (unit?.Literal is { } literal && !DayUnits.TryParse(DynamicValue.AsString(literal), out _))
        {
            ProblemAt(path, ProblemCodes.InvalidField, $"Step '{Step.Id}': the unit must be one of {string.Join(", ", Calendars.DayUnits.Names.Select(n => $"'{n}'"))}.");
        }
    }

    /// <summary>Reports a literal number of days out of range.</summary>
    public void CheckLiteralDays(DynamicValue? days, string property)
    {
        if (days?.Literal is { } literal && !IsDayCount(literal))
        {
            Problem(property, ProblemCodes.InvalidField, $"Step '{Step.Id}': '{property}' must be a whole number from 0 to {BusinessCalendar.MaxDays}.");
        }
    }

    /// <summary>Reports a literal word outside the words the definition may use (a role, a decision, a status).</summary>
    public void CheckWord(DynamicValue? value, IReadOnlyCollection<string>? allowed, string path, string what)
    {
        if (value?.Literal is { } literal && allowed is not null && !allowed.Contains(DynamicValue.AsString(literal) ?? string.Empty))
        {
            ProblemAt(path, ProblemCodes.InvalidField, $"Step '{Step.Id}' names the {what} '{DynamicValue.AsString(literal)}'; use one of {string.Join(", ", allowed)}.");
        }
    }

    private static bool IsDayCount(JsonNode literal) => JsonNumbers.TryGetInt(literal, out var n) && n is >= 0 and <= BusinessCalendar.MaxDays;

    private void WarnMissing(string path, IReadOnlyCollection<string> given)
    {
        if (LocalizedText.MissingLanguages(given, path) is { } missing)
        {
            Warning(path, ProblemCodes.MissingTranslation, $"Step '{Step.Id}': no {missing}");
        }
    }

    private PreparedExpression? Prepare(string source, string path)
    {
        if (ExpressionSandbox.TryPrepare(source, _limits, out var expression, out var error))
        {
            return expression;
        }

        ProblemAt(path, ProblemCodes.ExpressionSyntax, $"Step '{Step.Id}': {error}");
        return null;
    }
}
