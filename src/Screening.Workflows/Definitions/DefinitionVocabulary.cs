namespace Screening.Workflows.Definitions;

/// <summary>
/// The words a host lets definitions use: the roles tasks and notifications go to, the decision outcomes
/// decision steps record, and the statuses end steps finish with. The engine itself knows none of them: a
/// definition declares its own (<c>roles</c>, <c>decisions</c>, <c>endStatuses</c>), each within the host's
/// words, and its steps may use only the declared ones. A null list allows any word.
/// </summary>
/// <param name="Roles">Roles.</param>
/// <param name="Decisions">Decision outcomes.</param>
/// <param name="EndStatuses">End statuses.</param>
public sealed record DefinitionVocabulary(IReadOnlyList<string>? Roles, IReadOnlyList<string>? Decisions, IReadOnlyList<string>? EndStatuses)
{
    /// <summary>Any word goes.</summary>
    public static DefinitionVocabulary Open { get; } = new(null, null, null);

    /// <summary>The words a definition may use under this host: its own declared lists where it has them.</summary>
    internal DefinitionVocabulary For(WorkflowDefinition definition) =>
        new(definition.Roles ?? Roles, definition.Decisions ?? Decisions, definition.EndStatuses ?? EndStatuses);
}
