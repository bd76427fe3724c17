using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary>Which outcomes a step type's steps have: fixed names, or any the step declares.</summary>
/// <param name="Allowed">The only outcome names allowed; null when a step names its own.</param>
/// <param name="Required">Outcomes every step of the type must route.</param>
/// <param name="Minimum">How many outcomes a step needs at least.</param>
public sealed record StepOutcomes(IReadOnlyList<string>? Allowed, IReadOnlyList<string> Required, int Minimum = 0)
{
    /// <summary>One outcome, <c>done</c>.</summary>
    public static StepOutcomes Done { get; } = new([StepTypes.Done], [StepTypes.Done]);

    /// <summary>No outcome (the step ends the workflow).</summary>
    public static StepOutcomes None { get; } = new([], []);

    /// <summary>Whatever the step declares, at least <paramref name="minimum"/>.</summary>
    public static StepOutcomes Declared(int minimum) => new(null, [], minimum);
}

/// <summary>
/// A kind of step: its stable type name and version, how its settings are read and validated, which outcomes
/// it has, and what it does when a branch reaches it. A step that waits (a task, a request, a timer) also
/// handles what resumes it. Register one with <see cref="StepRegistry"/>; the runner only schedules.
/// </summary>
public abstract class StepType
{
    /// <summary>The stable type string definitions use, for example <c>human-task</c>.</summary>
    public abstract string Type { get; }

    /// <summary>The version of its settings and behaviour.</summary>
    public virtual int Version => 1;

    /// <summary>What it does, in a line (for documentation and the schema).</summary>
    public abstract string Summary { get; }

    /// <summary>Its outcomes.</summary>
    public virtual StepOutcomes Outcomes => StepOutcomes.Done;

    /// <summary>The settings it reads (for the schema test and documentation).</summary>
    public abstract IReadOnlyList<string> SettingNames { get; }

    /// <summary>Reads and validates a step's settings, reporting problems through the reader; null when unusable.</summary>
    public abstract StepSettings? Read(SettingsReader reader);

    /// <summary>Runs the step for a branch that reached it.</summary>
    public abstract void Execute(StepContext context);

    /// <summary>A person resumes a bookmark the step made (completes a task, answers a request).</summary>
    public virtual RunResult? Resume(StepContext context, Bookmark bookmark, ResumeInput input) =>
        context.Refuse(Refusal.NotAllowed, "A timer fires by itself; it cannot be resumed by a person.");

    /// <summary>A statutory clock with no expiry event ran out while the step waits on a bookmark; true when the step answered it.</summary>
    public virtual bool ClockExpired(StepContext context, Bookmark bookmark, Clocks.StatutoryClock clock) => false;

    /// <summary>A timer the step set fired (it is due).</summary>
    public virtual RunResult? Fire(StepContext context, Bookmark timer) =>
        context.Refuse(Refusal.NotAllowed, "That bookmark is not a timer.");
}

/// <summary>A step type with typed settings.</summary>
/// <typeparam name="TSettings">Its settings.</typeparam>
public abstract class StepType<TSettings> : StepType
    where TSettings : StepSettings
{
    /// <inheritdoc />
    public sealed override StepSettings? Read(SettingsReader reader) => ReadSettings(reader);

    /// <inheritdoc />
    public sealed override void Execute(StepContext context) => Execute(context, context.Settings<TSettings>());

    /// <summary>Reads and validates the settings.</summary>
    protected abstract TSettings? ReadSettings(SettingsReader reader);

    /// <summary>Runs the step with its settings.</summary>
    protected abstract void Execute(StepContext context, TSettings settings);
}
