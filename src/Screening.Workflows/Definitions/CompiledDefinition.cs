using Screening.Workflows.Expressions;
using Screening.Workflows.Steps;

namespace Screening.Workflows.Definitions;

/// <summary>
/// A definition whose settings are typed and whose expressions are prepared, with every validation
/// problem. Build one per definition version and cache it: preparing scripts is the costly part.
/// </summary>
public sealed class CompiledDefinition
{
    private readonly Dictionary<string, StepSettings> _settings;
    private readonly Dictionary<string, StepDefinition> _steps;
    private readonly Dictionary<string, StepType> _types;

    private CompiledDefinition(WorkflowDefinition definition, Dictionary<string, StepSettings> settings, Dictionary<string, StepType> types,
        IReadOnlyList<ValidationProblem> problems, IReadOnlyList<ValidationProblem> warnings, ExpressionLimits limits, DefinitionVocabulary vocabulary)
    {
        Definition = definition;
        _settings = settings;
        _types = types;
        Problems = problems;
        Warnings = warnings;
        Limits = limits;
        Vocabulary = vocabulary;
        Sessions = new ExpressionPool(limits);
        _steps = definition.Steps.GroupBy(s => s.Id).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>Reusable expression sessions of this version.</summary>
    public ExpressionPool Sessions { get; }

    /// <summary>The definition.</summary>
    public WorkflowDefinition Definition { get; }

    /// <summary>Every problem found; a definition with problems cannot be published or run.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    /// <summary>What does not stop it from running but a reader should fix (missing translations).</summary>
    public IReadOnlyList<ValidationProblem> Warnings { get; }

    /// <summary>True when there are no problems.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>The limits its expressions run under.</summary>
    public ExpressionLimits Limits { get; }

    /// <summary>The words its steps may use.</summary>
    public DefinitionVocabulary Vocabulary { get; }

    /// <summary>The step with an id.</summary>
    public StepDefinition Step(string id) => _steps.TryGetValue(id, out var step) ? step : throw new KeyNotFoundException($"The definition has no step '{id}'.");

    /// <summary>The type of the step with an id.</summary>
    public StepType StepType(string id) => _types.TryGetValue(id, out var type) ? type : throw new KeyNotFoundException($"The definition has no step '{id}' of a known type.");

    /// <summary>The typed settings of a step.</summary>
    public T Settings<T>(string stepId)
        where T : StepSettings => (T)_settings[stepId];

    /// <summary>Reads, validates and prepares a definition from JSON text.</summary>
    public static CompiledDefinition? Compile(string json, out IReadOnlyList<ValidationProblem> problems, ExpressionLimits? limits = null,
        StepRegistry? registry = null, DefinitionVocabulary? vocabulary = null)
    {
        var read = WorkflowDefinitionReader.Read(json);
        if (read.Definition is null)
        {
            problems = read.Problems;
            return null;
        }

        var compiled = Compile(read.Definition, limits, read, registry, vocabulary);
        problems = compiled.Problems;
        return compiled;
    }

    /// <summary>Validates and prepares a definition model.</summary>
    public static CompiledDefinition Compile(WorkflowDefinition definition, ExpressionLimits? limits = null, DefinitionReadResult? read = null,
        StepRegistry? registry = null, DefinitionVocabulary? vocabulary = null)
    {
        limits ??= new ExpressionLimits();
        registry ??= StepRegistry.Default;
        var hostWords = vocabulary ?? DefinitionVocabulary.Open;
        var problems = new List<ValidationProblem>(read?.Problems ?? []);
        var warnings = new List<ValidationProblem>(read?.Warnings ?? []);
        CheckDeclaredWords(definition, hostWords, problems);
        CheckBindings(definition, problems);
        var words = hostWords.For(definition);
        var settings = new Dictionary<string, StepSettings>();
        var types = new Dictionary<string, StepType>();
        foreach (var step in definition.Steps)
        {
            if (registry.Find(step.Type) is not { } type)
            {
                problems.Add(new($"{step.Path}.type", ProblemCodes.UnknownStepType,
                    $"Step '{step.Id}' has the unknown type '{step.Type}'. Known types: {string.Join(", ", registry.Types.Select(t => t.Type))}.", step.Id));
                continue;
            }

            var parsed = type.Read(new SettingsReader(step, definition, words, limits, problems, warnings));
            if (parsed is not null && types.TryAdd(step.Id, type))
            {
                settings[step.Id] = parsed;
            }
        }

        GraphValidator.Validate(definition, registry, settings, problems);
        return new CompiledDefinition(definition, settings, types, problems, warnings, limits, words);
    }

    private static void CheckBindings(WorkflowDefinition definition, List<ValidationProblem> problems)
    {
        foreach (var (name, target) in definition.Bindings)
        {
            if (!definition.Variables.ContainsKey(target) && definition.Events.All(e => e.Name != target))
            {
                problems.Add(new($"$.bindings.{name}", ProblemCodes.DanglingConnection, $"Binding '{name}' names '{target}', which is neither a variable nor an event of the definition."));
            }
        }
    }

    private static void CheckDeclaredWords(WorkflowDefinition definition, DefinitionVocabulary host, List<ValidationProblem> problems)
    {
        void Check(IReadOnlyList<string>? declared, IReadOnlyList<string>? allowed, string property, string what)
        {
            if (declared is null || allowed is null)
            {
                return;
            }

            foreach (var (word, i) in declared.Select((w, i) => (w, i)).Where(w => !allowed.Contains(w.w)))
            {
                problems.Add(new($"$.{property}[{i}]", ProblemCodes.InvalidField, $"'{word}' is not a {what} this application knows; use {string.Join(", ", allowed)}."));
            }
        }

        Check(definition.Roles, host.Roles, "roles", "role");
        Check(definition.Decisions, host.Decisions, "decisions", "decision outcome");
        Check(definition.EndStatuses, host.EndStatuses, "endStatuses", "case status");
    }
}
