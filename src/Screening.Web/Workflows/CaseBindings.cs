using System.Text.Json.Nodes;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Web.Workflows;

/// <summary>
/// What the host reads from a case's workflow, found through the names its definition binds (<c>bindings</c>):
/// the variable that holds the risk level, the one that holds the fired triage rules, and the event that stands
/// for the applicant's withdrawal. A definition that binds none of them simply has none.
/// </summary>
public sealed class CaseBindings(IReadOnlyDictionary<string, string> bindings)
{
    public const string RiskLevelName = "riskLevel";
    public const string FiredRulesName = "firedRules";
    public const string WithdrawName = "withdraw";
    public const string FilingKindName = "filingKind";
    public const string ReservedActivityName = "reservedActivity";
    public const string FilingRequiresName = "filingRequires";

    public static CaseBindings Of(CompiledDefinition definition) => new(definition.Definition.Bindings);

    /// <summary>The event the applicant's withdrawal raises, or null when the pipeline has none.</summary>
    public string? WithdrawEvent => bindings.GetValueOrDefault(WithdrawName);

    public string? RiskLevel(WorkflowInstance instance) =>
        bindings.GetValueOrDefault(RiskLevelName) is { } name && instance.Variables[name] is JsonValue v && v.TryGetValue<string>(out var level) ? level : null;

    /// <summary>A bound variable's text, or null.</summary>
    public string? Text(WorkflowInstance instance, string binding) =>
        bindings.GetValueOrDefault(binding) is { } name && instance.Variables[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A bound variable's truth.</summary>
    public bool Flag(WorkflowInstance instance, string binding) =>
        bindings.GetValueOrDefault(binding) is { } name && instance.Variables[name] is JsonValue v && v.TryGetValue<bool>(out var flag) && flag;

    /// <summary>
    /// The filing's fields a complete filing gives beyond what every filing must (paths such as <c>investor.ultimateParent</c>),
    /// from the definition's own variable: what its completeness check demands is what the filing form asks for.
    /// </summary>
    public static IReadOnlyList<string> FilingRequires(CompiledDefinition definition) =>
        definition.Definition.Bindings.GetValueOrDefault(FilingRequiresName) is { } name && definition.Definition.Variables[name] is JsonArray paths
            ? [.. paths.OfType<JsonValue>().Select(p => p.TryGetValue<string>(out var path) ? path : null).OfType<string>()]
            : [];

    public JsonArray? FiredRules(WorkflowInstance instance) =>
        bindings.GetValueOrDefault(FiredRulesName) is { } name ? instance.Variables[name] as JsonArray : null;
}
