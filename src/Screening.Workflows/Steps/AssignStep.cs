using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;

namespace Screening.Workflows.Steps;

/// <summary><c>assign</c>: sets variables from expressions, in order.</summary>
public sealed record AssignSettings(IReadOnlyList<(string Variable, DynamicValue Value)> Assignments) : StepSettings;

/// <summary>Sets variables (<c>set</c>: names and values or <c>=expressions</c>), then continues.</summary>
public sealed class AssignStep : StepType<AssignSettings>
{
    public override string Type => "assign";

    public override string Summary => "sets variables (`set`)";

    public override IReadOnlyList<string> SettingNames => ["set"];

    protected override AssignSettings? ReadSettings(SettingsReader reader)
    {
        if (reader.Settings["set"] is not JsonObject set || set.Count == 0)
        {
            reader.Problem("set", ProblemCodes.MissingField, $"Step '{reader.Step.Id}' needs 'set': an object of variable names and values or '=expressions'.");
            return null;
        }

        return new AssignSettings(Outputs.Read(reader, set, $"{reader.SettingsPath}.set"));
    }

    protected override void Execute(StepContext context, AssignSettings settings)
    {
        foreach (var (variable, value) in settings.Assignments)
        {
            context.SetVariable(variable, context.Evaluate(value)?.DeepClone());
        }

        context.Continue(StepTypes.Done);
    }
}

/// <summary>Reads an object of variable names and values or <c>=expressions</c> (what assignments and decision-table rows set).</summary>
internal static class Outputs
{
    public static List<(string, DynamicValue)> Read(SettingsReader reader, JsonObject outputs, string path)
    {
        var list = new List<(string, DynamicValue)>();
        foreach (var (name, value) in outputs)
        {
            if (reader.ValueAt(value, $"{path}.{name}") is { } v)
            {
                list.Add((name, v));
            }
        }

        return list;
    }
}
