using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A definition whose settings are typed and whose expressions are prepared, with every validation
/// problem. Build one per definition version and cache it: preparing scripts is the costly part.
/// </summary>
public sealed class CompiledDefinition
{
    private readonly Dictionary<string, StepSettings> _settings;
    private readonly Dictionary<string, StepDefinition> _steps;

    private CompiledDefinition(WorkflowDefinition definition, Dictionary<string, StepSettings> settings, IReadOnlyList<ValidationProblem> problems, ExpressionLimits limits)
    {
        Definition = definition;
        _settings = settings;
        Problems = problems;
        Limits = limits;
        Sessions = new ExpressionPool(limits);
        _steps = definition.Steps.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Reusable expression sessions of this version.</summary>
    public ExpressionPool Sessions { get; }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>Every problem found; a definition with problems cannot be published or run.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>True when there are no problems.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>The limits its expressions run under.</summary>
    public ExpressionLimits Limits { get; }

    /// <summary>The step with an id.</summary>
    public StepDefinition Step(string id) => _steps.TryGetValue(id, out var step) ? step : throw new KeyNotFoundException($"The definition has no step '{id}'.");

    /// <summary>The typed settings of a step.</summary>
    public T Settings<T>(string stepId)
        where T : StepSettings => (T)_settings[stepId];

    /// <summary>Reads, validates and prepares a definition from JSON text.</summary>
    public static CompiledDefinition? Compile(string json, out IReadOnlyList<ValidationProblem> problems, ExpressionLimits? limits = null)
    {
        var read = WorkflowDefinitionReader.Read(json);
        if (read.Definition is null)
        {
            problems = read.Problems;
            return null;
        }

        var compiled = Compile(read.Definition, limits, read.Problems);
        problems = compiled.Problems;
        return compiled;
    }

    /// <summary>Validates and prepares a definition model.</summary>
    public static CompiledDefinition Compile(WorkflowDefinition definition, ExpressionLimits? limits = null, IReadOnlyList<ValidationProblem>? readProblems = null)
    {
        limits ??= new ExpressionLimits();
        var problems = new List<ValidationProblem>(readProblems ?? []);
        var settings = new Dictionary<string, StepSettings>();
        foreach (var step in definition.Steps)
        {
            var reader = new SettingsReader(step, limits, problems);
            var parsed = reader.Read();
            if (parsed is not null && !settings.ContainsKey(step.Id))
            {
                settings[step.Id] = parsed;
            }
        }

        GraphValidator.Validate(definition, settings, problems);
        return new CompiledDefinition(definition, settings, problems, limits);
    }
}

/// <summary>Reads one step's settings into its typed form, preparing its expressions.</summary>
internal sealed class SettingsReader(StepDefinition step, ExpressionLimits limits, List<ValidationProblem> problems)
{
    private static readonly string[] Audiences = ["applicant", "officer", "decision-maker", "admin"];
    private string SettingsPath => $"{step.Path}.settings";

    public StepSettings? Read() => step.Type switch
    {
        StepTypes.Assign => ReadAssign(),
        StepTypes.Decide => Expression("expression") is { } e ? new DecideSettings(e) : null,
        StepTypes.DecisionTable => ReadDecisionTable(),
        StepTypes.HumanTask => ReadHumanTask(),
        StepTypes.RequestInformation => new RequestInformationSettings(
            Value("question", required: true) ?? DynamicValue.Of((JsonNode?)null),
            Due("due", required: false),
            OptionalString("stopsClock"),
            OptionalString("result") ?? "information"),
        StepTypes.Clock => ReadClock(),
        StepTypes.Timer => Due("wait", required: true) is { } wait ? new TimerSettings(wait) : null,
        StepTypes.Notification => ReadNotification(),
        StepTypes.Fork => ReadFork(),
        StepTypes.Join => ReadJoin(),
        StepTypes.Decision => ReadDecision(),
        StepTypes.End => ReadEnd(),
        _ => Unknown(),
    };

    private StepSettings? Unknown()
    {
        problems.Add(new($"{step.Path}.type", ProblemCodes.UnknownStepType,
            $"Step '{step.Id}' has the unknown type '{step.Type}'. Known types: {string.Join(", ", StepTypes.All)}.", step.Id));
        return null;
    }

    private AssignSettings? ReadAssign()
    {
        if (step.Settings["set"] is not JsonObject set || set.Count == 0)
        {
            Problem("set", ProblemCodes.MissingField, $"Step '{step.Id}' needs 'set': an object of variable names and values or '=expressions'.");
            return null;
        }

        var assignments = new List<(string, DynamicValue)>();
        foreach (var (variable, value) in set)
        {
            if (ValueAt(value, $"{SettingsPath}.set.{variable}") is { } v)
            {
                assignments.Add((variable, v));
            }
        }

        return new AssignSettings(assignments);
    }

    private DecisionTableSettings? ReadDecisionTable()
    {
        var policyText = OptionalString("hitPolicy") ?? "first";
        HitPolicy policy;
        switch (policyText)
        {
            case "first": policy = HitPolicy.First; break;
            case "collect": policy = HitPolicy.Collect; break;
            default:
                Problem("hitPolicy", ProblemCodes.InvalidField, $"The hit policy of step '{step.Id}' must be 'first' or 'collect'.");
                policy = HitPolicy.First;
                break;
        }

        if (step.Settings["rules"] is not JsonArray rows || rows.Count == 0)
        {
            Problem("rules", ProblemCodes.MissingField, $"Decision table '{step.Id}' needs at least one rule.");
            return null;
        }

        var rules = new List<DecisionRule>();
        for (var i = 0; i < rows.Count; i++)
        {
            var path = $"{SettingsPath}.rules[{i}]";
            if (rows[i] is not JsonObject row)
            {
                problems.Add(new(path, ProblemCodes.InvalidField, "A rule must be an object with 'when' and 'then'.", step.Id));
                continue;
            }

            var id = row["id"] is JsonValue iv && iv.TryGetValue<string>(out var rid) ? rid : $"rule-{i + 1}";
            var description = row["description"] is JsonValue dv && dv.TryGetValue<string>(out var text) ? text : null;
            var when = ExpressionAt(row["when"], $"{path}.when");
            var then = Outputs(row["then"], $"{path}.then");
            if (when is not null && then is not null)
            {
                rules.Add(new DecisionRule(id, description, when, then));
            }
        }

        var defaults = step.Settings["default"] is { } d ? Outputs(d, $"{SettingsPath}.default") ?? [] : [];
        return new DecisionTableSettings(policy, rules, defaults, OptionalString("firedRules") ?? "firedRules");
    }

    private List<(string, DynamicValue)>? Outputs(JsonNode? node, string path)
    {
        if (node is not JsonObject outputs || outputs.Count == 0)
        {
            problems.Add(new(path, ProblemCodes.MissingField, "Outputs must be an object of variable names and values or '=expressions'.", step.Id));
            return null;
        }

        var list = new List<(string, DynamicValue)>();
        foreach (var (name, value) in outputs)
        {
            if (ValueAt(value, $"{path}.{name}") is { } v)
            {
                list.Add((name, v));
            }
        }

        return list;
    }

    private HumanTaskSettings? ReadHumanTask()
    {
        var role = Value("role", required: true);
        var jurisdiction = Value("jurisdiction", required: true);
        var title = Value("title", required: false) ?? DynamicValue.Of(JsonValue.Create(step.DisplayName));
        TimeoutRule? timeout = null;
        if (step.Settings["timeout"] is JsonObject t)
        {
            var after = DueAt(t, $"{SettingsPath}.timeout");
            var outcome = t["outcome"] is JsonValue ov && ov.TryGetValue<string>(out var o) ? o : null;
            if (outcome is null)
            {
                problems.Add(new($"{SettingsPath}.timeout.outcome", ProblemCodes.MissingField, $"The timeout of task '{step.Id}' must name the outcome it completes with.", step.Id));
            }
            else if (!step.HasOutcome(outcome))
            {
                problems.Add(new($"{SettingsPath}.timeout.outcome", ProblemCodes.MissingConnection, $"The timeout of task '{step.Id}' completes with '{outcome}', which is not one of the task's outcomes.", step.Id));
            }

            if (after is not null && outcome is not null)
            {
                timeout = new TimeoutRule(after, outcome);
            }
        }
        else if (step.Settings["timeout"] is not null)
        {
            Problem("timeout", ProblemCodes.InvalidField, $"The timeout of task '{step.Id}' must be an object with days, unit and outcome.");
        }

        EscalationRule? escalation = null;
        if (step.Settings["escalation"] is JsonObject e)
        {
            var notify = e["notify"] is JsonArray roles ? roles.Select(r => DynamicValue.AsString(r)).OfType<string>().ToList() : [];
            var reassign = e["reassignTo"] is JsonValue rv && rv.TryGetValue<string>(out var r) ? r : null;
            if (notify.Count == 0 && reassign is null)
            {
                Problem("escalation", ProblemCodes.MissingField, $"The escalation of task '{step.Id}' must notify roles or reassign the task.");
            }

            escalation = new EscalationRule(notify, reassign);
        }

        if (escalation is not null && step.Settings["due"] is null)
        {
            Problem("escalation", ProblemCodes.MissingField, $"Task '{step.Id}' escalates when overdue, so it needs a 'due' rule.");
        }

        var fourEyesAll = false;
        var fourEyesSteps = new List<string>();
        switch (step.Settings["fourEyes"])
        {
            case null:
                break;
            case JsonValue fv when fv.TryGetValue<bool>(out var all):
                fourEyesAll = all;
                break;
            case JsonArray steps:
                fourEyesSteps.AddRange(steps.Select(s => DynamicValue.AsString(s)).OfType<string>());
                break;
            default:
                Problem("fourEyes", ProblemCodes.InvalidField, $"'fourEyes' of task '{step.Id}' must be true (exclude every earlier actor) or a list of step ids.");
                break;
        }

        string? stopsClock = null;
        var allowsRequests = false;
        if (step.Settings["informationRequests"] is JsonObject ir)
        {
            allowsRequests = true;
            stopsClock = ir["stopsClock"] is JsonValue sv && sv.TryGetValue<string>(out var c) ? c : null;
        }

        if (step.Outcomes.Count == 0)
        {
            problems.Add(new($"{step.Path}.outcomes", ProblemCodes.MissingConnection, $"Task '{step.Id}' needs at least one outcome.", step.Id));
        }

        if (role is null || jurisdiction is null)
        {
            return null;
        }

        return new HumanTaskSettings(title, role, jurisdiction, OptionalString("description"), Due("due", false), Due("followUp", false),
            escalation, timeout, fourEyesAll, fourEyesSteps, stopsClock, allowsRequests, OptionalString("result") ?? step.Id);
    }

    private ClockSettings? ReadClock()
    {
        var actionText = OptionalString("action");
        if (!Enum.TryParse<ClockAction>(actionText, ignoreCase: true, out var action) || actionText is null || !char.IsLower(actionText[0]))
        {
            Problem("action", actionText is null ? ProblemCodes.MissingField : ProblemCodes.InvalidField,
                $"Clock step '{step.Id}' needs an 'action': start, stop, resume, extend or complete.");
            return null;
        }

        var clock = OptionalString("clock");
        if (clock is null)
        {
            Problem("clock", ProblemCodes.MissingField, $"Clock step '{step.Id}' needs the name of its clock.");
            return null;
        }

        var jurisdiction = Value("jurisdiction", required: action == ClockAction.Start);
        var unit = Value("unit", required: action == ClockAction.Start);
        if (unit?.Literal is { } literalUnit && !DayUnits.TryParse(DynamicValue.AsString(literalUnit), out _))
        {
            Problem("unit", ProblemCodes.InvalidField, $"Step '{step.Id}': the unit must be 'calendar', 'business' or 'calendar-rolling'.");
        }

        var days = Value("days", required: action is ClockAction.Start or ClockAction.Extend);
        CheckLiteralDays(days, "days");
        return new ClockSettings(action, clock, jurisdiction, Value("calendar", false), unit, days, OptionalString("expiryEvent"));
    }

    private NotificationSettings? ReadNotification()
    {
        var audience = OptionalString("audience");
        if (audience is null || !Audiences.Contains(audience))
        {
            Problem("audience", audience is null ? ProblemCodes.MissingField : ProblemCodes.InvalidField,
                $"Notification '{step.Id}' needs an 'audience': {string.Join(", ", Audiences)}.");
            return null;
        }

        var subject = Value("subject", required: true);
        return subject is null ? null : new NotificationSettings(audience, Value("jurisdiction", false), subject, Value("body", false));
    }

    private ForkSettings ReadFork()
    {
        var conditions = new Dictionary<string, PreparedExpression>();
        if (step.Settings["conditions"] is JsonObject c)
        {
            foreach (var (branch, expression) in c)
            {
                if (!step.HasOutcome(branch))
                {
                    problems.Add(new($"{SettingsPath}.conditions.{branch}", ProblemCodes.DanglingConnection, $"Fork '{step.Id}' has a condition for '{branch}', which is not one of its branches.", step.Id));
                }
                else if (ExpressionAt(expression, $"{SettingsPath}.conditions.{branch}") is { } e)
                {
                    conditions[branch] = e;
                }
            }
        }

        return new ForkSettings(conditions);
    }

    private JoinSettings ReadJoin()
    {
        var modeText = OptionalString("mode") ?? "all";
        var mode = modeText switch
        {
            "all" => JoinMode.All,
            "any" => JoinMode.Any,
            "count" => JoinMode.Count,
            _ => (JoinMode?)null,
        };
        if (mode is null)
        {
            Problem("mode", ProblemCodes.InvalidField, $"Join '{step.Id}' has mode '{modeText}'; use 'all', 'any' or 'count'.");
            mode = JoinMode.All;
        }

        var count = mode == JoinMode.Any ? 1 : 0;
        if (mode == JoinMode.Count)
        {
            if (JsonNumbers.TryGetInt(step.Settings["count"], out var n) && n >= 1)
            {
                count = n;
            }
            else
            {
                Problem("count", ProblemCodes.MissingField, $"Join '{step.Id}' in 'count' mode needs a 'count' of 1 or more.");
                count = 1;
            }
        }

        return new JoinSettings(mode.Value, count);
    }

    private DecisionSettings? ReadDecision()
    {
        var outcome = Value("outcome", required: true);
        if (outcome?.Literal is { } literal && !CaseOutcomes.Decisions.Contains(DynamicValue.AsString(literal)))
        {
            Problem("outcome", ProblemCodes.InvalidField, $"Decision '{step.Id}' records '{DynamicValue.AsString(literal)}'; use one of {string.Join(", ", CaseOutcomes.Decisions)}.");
        }

        var unit = OptionalString("conditionUnit") ?? "calendar";
        if (!DayUnits.TryParse(unit, out _))
        {
            Problem("conditionUnit", ProblemCodes.InvalidField, $"Step '{step.Id}': the condition unit must be 'calendar', 'business' or 'calendar-rolling'.");
        }

        return outcome is null ? null : new DecisionSettings(outcome, Value("conditions", false), Value("calendar", false), unit);
    }

    private EndSettings? ReadEnd()
    {
        var status = OptionalString("status") ?? CaseOutcomes.Closed;
        if (!CaseOutcomes.EndStatuses.Contains(status))
        {
            Problem("status", ProblemCodes.InvalidField, $"End step '{step.Id}' has status '{status}'; use {string.Join(", ", CaseOutcomes.EndStatuses)}.");
            return null;
        }

        var outcome = Value("outcome", false);
        if (outcome?.Literal is { } literal && !CaseOutcomes.Decisions.Contains(DynamicValue.AsString(literal)))
        {
            Problem("outcome", ProblemCodes.InvalidField, $"End step '{step.Id}' records '{DynamicValue.AsString(literal)}'; use one of {string.Join(", ", CaseOutcomes.Decisions)}.");
        }

        return new EndSettings(status, outcome);
    }

    private DueRule? Due(string property, bool required)
    {
        var node = step.Settings[property];
        if (node is null)
        {
            if (required)
            {
                Problem(property, ProblemCodes.MissingField, $"Step '{step.Id}' needs '{property}': an object with days and unit.");
            }

            return null;
        }

        if (node is not JsonObject obj)
        {
            Problem(property, ProblemCodes.InvalidField, $"'{property}' of step '{step.Id}' must be an object with days, unit and optionally calendar.");
            return null;
        }

        return DueAt(obj, $"{SettingsPath}.{property}");
    }

    private DueRule? DueAt(JsonObject obj, string path)
    {
        var days = obj["days"] is { } d ? ValueAt(d, $"{path}.days") : null;
        if (days is null)
        {
            problems.Add(new($"{path}.days", ProblemCodes.MissingField, "A period needs 'days'.", step.Id));
        }
        else if (days.Literal is not null && (!JsonNumbers.TryGetInt(days.Literal, out var n) || n < 0 || n > BusinessCalendar.MaxDays))
        {
            problems.Add(new($"{path}.days", ProblemCodes.InvalidField, $"Step '{step.Id}': 'days' must be a whole number from 0 to {BusinessCalendar.MaxDays}.", step.Id));
        }

        var unit = obj["unit"] is { } u ? ValueAt(u, $"{path}.unit") : DynamicValue.Of(JsonValue.Create("calendar"));
        if (unit?.Literal is { } literalUnit && !DayUnits.TryParse(DynamicValue.AsString(literalUnit), out _))
        {
            problems.Add(new($"{path}.unit", ProblemCodes.InvalidField, $"Step '{step.Id}': the unit must be 'calendar', 'business' or 'calendar-rolling'.", step.Id));
        }

        var calendar = obj["calendar"] is { } c ? ValueAt(c, $"{path}.calendar") : null;
        return days is null || unit is null ? null : new DueRule(days, unit, calendar);
    }

    private void CheckLiteralDays(DynamicValue? days, string property)
    {
        if (days?.Literal is { } literal && (!JsonNumbers.TryGetInt(literal, out var n) || n < 0 || n > BusinessCalendar.MaxDays))
        {
            Problem(property, ProblemCodes.InvalidField, $"Step '{step.Id}': '{property}' must be a whole number from 0 to {BusinessCalendar.MaxDays}.");
        }
    }

    private DynamicValue? Value(string property, bool required)
    {
        var node = step.Settings[property];
        if (node is null)
        {
            if (required)
            {
                Problem(property, ProblemCodes.MissingField, $"Step '{step.Id}' needs '{property}'.");
            }

            return null;
        }

        return ValueAt(node, $"{SettingsPath}.{property}");
    }

    private DynamicValue? ValueAt(JsonNode? node, string path)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith('='))
        {
            return Prepare(text[1..], path) is { } e ? DynamicValue.Of(e) : null;
        }

        return DynamicValue.Of(node);
    }

    private PreparedExpression? Expression(string property)
    {
        var node = step.Settings[property];
        if (node is null)
        {
            Problem(property, ProblemCodes.MissingField, $"Step '{step.Id}' needs '{property}'.");
            return null;
        }

        return ExpressionAt(node, $"{SettingsPath}.{property}");
    }

    private PreparedExpression? ExpressionAt(JsonNode? node, string path)
    {
        if (node is not JsonValue v || !v.TryGetValue<string>(out var text))
        {
            problems.Add(new(path, ProblemCodes.InvalidField, "An expression must be a string of JavaScript.", step.Id));
            return null;
        }

        return Prepare(text.StartsWith('=') ? text[1..] : text, path);
    }

    private PreparedExpression? Prepare(string source, string path)
    {
        if (ExpressionSandbox.TryPrepare(source, limits, out var expression, out var error))
        {
            return expression;
        }

        problems.Add(new(path, ProblemCodes.ExpressionSyntax, $"Step '{step.Id}': {error}", step.Id));
        return null;
    }

    private string? OptionalString(string property) =>
        step.Settings[property] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private void Problem(string property, string code, string message) =>
        problems.Add(new($"{SettingsPath}.{property}", code, message, step.Id));
}
