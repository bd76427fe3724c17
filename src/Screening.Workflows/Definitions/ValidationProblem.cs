namespace Screening.Workflows.Definitions;

/// <summary>One problem found in a definition, located by JSON path.</summary>
/// <param name="Path">JSON path of the offending element, for example <c>$.steps[3].outcomes.approve</c>.</param>
/// <param name="Code">A stable machine code, for example <c>dangling-connection</c>.</param>
/// <param name="Message">A sentence an administrator understands.</param>
/// <param name="StepId">The step the problem belongs to, when there is one (for highlighting).</param>
public sealed record ValidationProblem(string Path, string Code, string Message, string? StepId = null);

/// <summary>Stable codes of validation problems.</summary>
public static class ProblemCodes
{
    public const string InvalidJson = "invalid-json";
    public const string MissingField = "missing-field";
    public const string InvalidField = "invalid-field";
    public const string UnknownStepType = "unknown-step-type";
    public const string DuplicateId = "duplicate-id";
    public const string DanglingConnection = "dangling-connection";
    public const string MissingConnection = "missing-connection";
    public const string UnreachableStep = "unreachable-step";
    public const string OutcomeWithoutRoute = "outcome-without-route";
    public const string UnexpectedOutcome = "unexpected-outcome";
    public const string ExpressionSyntax = "expression-syntax";
    public const string JoinNeverCompletes = "join-never-completes";
    public const string MissingEnd = "missing-end";
    public const string TooLarge = "too-large";
    public const string MissingTranslation = "missing-translation";
}
