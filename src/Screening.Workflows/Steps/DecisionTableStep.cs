using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Steps;

/// <summary>How a decision table combines matching rows.</summary>
public enum HitPolicy
{
    /// <summary>The first matching row wins.</summary>
    First,

    /// <summary>Every matching row contributes; each output collects into a list.</summary>
    Collect,
}

/// <summary>One row of a decision table.</summary>
public sealed record DecisionRule(string Id, LocalizedValue? Description, PreparedExpression When, IReadOnlyList<(string Output, DynamicValue Value)> Then);

/// <summary><c>decision-table</c>: rows of conditions to outputs.</summary>
public sealed record DecisionTableSettings(HitPolicy HitPolicy, IReadOnlyList<DecisionRule> Rules, IReadOnlyList<(string Output, DynamicValue Value)> Defaults, string FiredRulesVariable) : StepSettings;

/// <summary>Rows of <c>when</c> → <c>then</c> outputs, first-hit or collect; the fired rows go to a variable.</summary>
public sealed class DecisionTableStep : StepType<DecisionTableSettings>
{
    public override string Type => "decision-table";

    public override string Summary => "rows of `when` → `then` outputs, `first` or `collect` hit policy; the fired rows go to `firedRules` (or the variable it names)";

    public override IReadOnlyList<string> SettingNames => ["hitPolicy", "rules", "default", "firedRules"];

    protected override DecisionTableSettings? ReadSettings(SettingsReader reader)
    {
        var policy = (reader.OptionalString("hitPolicy") ?? "first") switch
        {
            "first" => HitPolicy.First,
            "collect" => HitPolicy.Collect,
            _ => (HitPolicy?)null,
        };
        if (policy is null)
        {
            reader.Problem("hitPolicy", ProblemCodes.InvalidField, $"The hit policy of step '{reader.Step.Id}' must be 'first' or 'collect'.");
        }

        if (reader.Settings["rules"] is not JsonArray rows || rows.Count == 0)
        {
            reader.Problem("rules", ProblemCodes.MissingField, $"Decision table '{reader.Step.Id}' needs at least one rule.");
            return null;
        }

        var rules = new List<DecisionRule>();
        for (var i = 0; i < rows.Count; i++)
        {
            var path = $"{reader.SettingsPath}.rules[{i}]";
            if (rows[i] is not JsonObject row)
            {
                reader.ProblemAt(path, ProblemCodes.InvalidField, "A rule must be an object with 'when' and 'then'.");
                continue;
            }

            var id = row["id"] is JsonValue iv && iv.TryGetValue<string>(out var rid) ? rid : $"rule-{i + 1}";
            var description = reader.TextAt(row["description"], $"{path}.description", required: false);
            var when = reader.ExpressionAt(row["when"], $"{path}.when");
            var then = ReadOutputs(reader, row["then"], $"{path}.then");
            if (when is not null && then is not null)
            {
                rules.Add(new DecisionRule(id, description, when, then));
            }
        }

        var defaults = reader.Settings["default"] is { } d ? ReadOutputs(reader, d, $"{reader.SettingsPath}.default") ?? [] : [];
        return new DecisionTableSettings(policy ?? HitPolicy.First, rules, defaults, reader.OptionalString("firedRules") ?? "firedRules");
    }

    protected override void Execute(StepContext context, DecisionTableSettings table)
    {
        var fired = new JsonArray();
        var collected = new Dictionary<string, JsonArray>();
        var matched = false;
        foreach (var rule in table.Rules)
        {
            if (!context.IsTrue(rule.When))
            {
                continue;
            }

            matched = true;
            // The description in English, and in every language given, so a reader sees why in their own words.
            var description = context.Evaluate(rule.Description);
            fired.Add(new JsonObject
            {
                ["id"] = rule.Id,
                ["description"] = description?.En,
                ["descriptions"] = description is null ? null : new JsonObject(description.Texts.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)JsonValue.Create(t.Value)))),
            });
            if (table.HitPolicy == HitPolicy.First)
            {
                foreach (var (output, value) in rule.Then)
                {
                    context.SetVariable(output, context.Evaluate(value)?.DeepClone());
                }

                break;
            }

            foreach (var (output, value) in rule.Then)
            {
                if (!collected.TryGetValue(output, out var list))
                {
                    collected[output] = list = [];
                }

                list.Add(context.Evaluate(value)?.DeepClone());
            }
        }

        if (table.HitPolicy == HitPolicy.Collect)
        {
            foreach (var output in table.Rules.SelectMany(r => r.Then.Select(t => t.Output)).Concat(table.Defaults.Select(d => d.Output)).Distinct())
            {
                context.SetVariable(output, collected.TryGetValue(output, out var list) ? list : []);
            }
        }

        if (!matched)
        {
            foreach (var (output, value) in table.Defaults)
            {
                var result = context.Evaluate(value)?.DeepClone();
                context.SetVariable(output, table.HitPolicy == HitPolicy.Collect ? new JsonArray(result) : result);
            }
        }

        context.SetVariable(table.FiredRulesVariable, fired);
        context.Note(fired.Count == 0 ? "no rule fired" : "fired: " + string.Join(", ", fired.Select(f => f!["id"]!.GetValue<string>())));
        context.Continue(StepTypes.Done);
    }

    private static List<(string, DynamicValue)>? ReadOutputs(SettingsReader reader, JsonNode? node, string path)
    {
        if (node is not JsonObject outputs || outputs.Count == 0)
        {
            reader.ProblemAt(path, ProblemCodes.MissingField, "Outputs must be an object of variable names and values or '=expressions'.");
            return null;
        }

        return Outputs.Read(reader, outputs, path);
    }
}
