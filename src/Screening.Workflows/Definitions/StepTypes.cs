namespace Screening.Workflows.Definitions;

/// <summary>The stable type strings of the built-in steps.</summary>
public static class StepTypes
{
    public const string Assign = "assign";
    public const string Decide = "decide";
    public const string DecisionTable = "decision-table";
    public const string HumanTask = "human-task";
    public const string RequestInformation = "request-information";
    public const string Clock = "clock";
    public const string Timer = "timer";
    public const string Notification = "notification";
    public const string Fork = "fork";
    public const string Join = "join";
    public const string Decision = "decision";
    public const string End = "end";

    /// <summary>Every known type.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Assign, Decide, DecisionTable, HumanTask, RequestInformation, Clock, Timer, Notification, Fork, Join, Decision, End];

    /// <summary>The single outcome of steps that simply continue.</summary>
    public const string Done = "done";
}

/// <summary>Case statuses an end step may set, and decision outcomes.</summary>
public static class CaseOutcomes
{
    public const string Decided = "decided";
    public const string Withdrawn = "withdrawn";
    public const string Closed = "closed";

    /// <summary>Statuses an end step may finish with.</summary>
    public static IReadOnlyList<string> EndStatuses { get; } = [Decided, Withdrawn, Closed];

    public const string Cleared = "cleared";
    public const string ClearedWithConditions = "cleared-with-conditions";
    public const string Prohibited = "prohibited";
    public const string DivestitureOrdered = "divestiture-ordered";
    public const string DeemedApproved = "deemed-approved";

    /// <summary>Every decision outcome.</summary>
    public static IReadOnlyList<string> Decisions { get; } = [Cleared, ClearedWithConditions, Prohibited, DivestitureOrdered, DeemedApproved];
}
