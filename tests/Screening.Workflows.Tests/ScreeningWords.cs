using Screening.Workflows.Definitions;

namespace Screening.Workflows.Tests;

/// <summary>The words the screening host lets definitions use, as the engine tests give them to the compiler.</summary>
internal static class ScreeningWords
{
    public static DefinitionVocabulary Vocabulary { get; } = new(
        ["applicant", "officer", "decision-maker", "admin"],
        ["cleared", "cleared-with-conditions", "prohibited", "divestiture-ordered", "deemed-approved"],
        ["decided", "withdrawn", "closed"]);
}
