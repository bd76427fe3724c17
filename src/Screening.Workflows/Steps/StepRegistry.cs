namespace Screening.Workflows.Steps;

/// <summary>The step types a definition may use. <see cref="Default"/> holds the built-in ones; a host adds its own with <see cref="With"/>.</summary>
public sealed class StepRegistry
{
    private readonly Dictionary<string, StepType> _types;

    private StepRegistry(IEnumerable<StepType> types) => _types = types.ToDictionary(t => t.Type, StringComparer.Ordinal);

    /// <summary>The built-in step types.</summary>
    public static StepRegistry Default { get; } = new(
    [
        new AssignStep(), new DecideStep(), new DecisionTableStep(), new HumanTaskStep(), new RequestInformationStep(), new ClockStep(),
        new TimerStep(), new NotificationStep(), new ForkStep(), new JoinStep(), new DecisionStep(), new NoticeStep(), new EndStep(),
    ]);

    /// <summary>Every registered type, by name.</summary>
    public IReadOnlyCollection<StepType> Types => _types.Values;

    /// <summary>The type with a name, or null.</summary>
    public StepType? Find(string type) => _types.GetValueOrDefault(type);

    /// <summary>A registry with more step types (a type of an existing name replaces it).</summary>
    public StepRegistry With(params StepType[] types) => new(_types.Values.Where(t => types.All(n => n.Type != t.Type)).Concat(types));
}
