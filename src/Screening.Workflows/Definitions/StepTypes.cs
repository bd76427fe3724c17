namespace Screening.Workflows.Definitions;

/// <summary>Words the runner itself relies on.</summary>
public static class StepTypes
{
    /// <summary>The single outcome of steps that simply continue.</summary>
    public const string Done = "done";
}
