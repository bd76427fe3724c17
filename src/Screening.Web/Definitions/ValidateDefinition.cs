using System.Text.Json.Nodes;
using Mediator;
using Screening.Web.Workflows;
using Screening.Workflows.Definitions;

namespace Screening.Web.Definitions;

public sealed record ValidationResult(bool Valid, IReadOnlyList<ValidationProblem> Problems, WorkflowDefinition? Definition)
{
    /// <summary>What does not stop publishing but should be fixed (a text missing in a language).</summary>
    public IReadOnlyList<ValidationProblem> Warnings { get; init; } = [];
}

/// <summary>Validates a definition without saving it (the editor checks as the administrator types).</summary>
public sealed record ValidateDefinition(string Json) : IQuery<ValidationResult>;

public sealed class ValidateDefinitionHandler : IQueryHandler<ValidateDefinition, ValidationResult>
{
    public ValueTask<ValidationResult> Handle(ValidateDefinition query, CancellationToken cancellationToken)
    {
        if (query.Json.Length > Hosting.ServiceRegistration.MaxBodyBytes)
        {
            return ValueTask.FromResult(new ValidationResult(false, [new ValidationProblem("$", ProblemCodes.TooLarge, "The definition is larger than 1 MB.")], null));
        }

        var read = WorkflowDefinitionReader.Read(query.Json);
        if (read.Definition is null)
        {
            return ValueTask.FromResult(new ValidationResult(false, read.Problems, null));
        }

        var compiled = CompiledDefinition.Compile(read.Definition, read: read, vocabulary: ScreeningVocabulary.Words);
        return ValueTask.FromResult(new ValidationResult(compiled.IsValid, compiled.Problems, read.Definition) { Warnings = compiled.Warnings });
    }
}
