using Screening.Workflows.Calendars;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Definitions;

/// <summary>The typed, prepared settings of a step.</summary>
public abstract record StepSettings;

/// <summary>A period on a calendar: <c>{ "days": 30, "unit": "calendar", "calendar": "=host" }</c>.</summary>
/// <param name="Days">How many days.</param>
/// <param name="Unit">How they count (a <see cref="DayUnit"/> wire name).</param>
/// <param name="Calendar">Which calendar; null means the step's jurisdiction.</param>
public sealed record DueRule(DynamicValue Days, DynamicValue Unit, DynamicValue? Calendar);

/// <summary><c>assign</c>: sets variables from expressions, in order.</summary>
public sealed record AssignSettings(IReadOnlyList<(string Variable, DynamicValue Value)> Assignments) : StepSettings;

/// <summary><c>decide</c>: routes to the outcome named by the expression's value (<c>true</c>/<c>false</c> for booleans).</summary>
public sealed record DecideSettings(PreparedExpression Expression) : StepSettings;

/// <summary>How a decision table combines matching rows.</summary>
public enum HitPolicy
{
    /// <summary>The first matching row wins.</summary>
    First,

    /// <summary>Every matching row contributes; each output collects into a list.</summary>
    Collect,
}

/// <summary>One row of a decision table.</summary>
public sealed record DecisionRule(string Id, string? Description, PreparedExpression When, IReadOnlyList<(string Output, DynamicValue Value)> Then);

/// <summary><c>decision-table</c>: rows of conditions to outputs.</summary>
public sealed record DecisionTableSettings(HitPolicy HitPolicy, IReadOnlyList<DecisionRule> Rules, IReadOnlyList<(string Output, DynamicValue Value)> Defaults, string FiredRulesVariable) : StepSettings;

/// <summary>What happens when a task is overdue.</summary>
/// <param name="NotifyRoles">Roles (of the task's jurisdiction) told that the task is overdue.</param>
/// <param name="ReassignRole">A role the task moves to, or null.</param>
public sealed record EscalationRule(IReadOnlyList<string> NotifyRoles, string? ReassignRole);

/// <summary>A task closes itself with an outcome after a period (silence counts as that outcome).</summary>
public sealed record TimeoutRule(DueRule After, string Outcome);

/// <summary><c>human-task</c>: work for a role in a jurisdiction.</summary>
public sealed record HumanTaskSettings(
    DynamicValue Title,
    DynamicValue Role,
    DynamicValue Jurisdiction,
    string? Description,
    DueRule? Due,
    DueRule? FollowUp,
    EscalationRule? Escalation,
    TimeoutRule? Timeout,
    bool FourEyesAll,
    IReadOnlyList<string> FourEyesSteps,
    string? InformationRequestStopsClock,
    bool AllowsInformationRequests,
    string ResultVariable) : StepSettings;

/// <summary><c>request-information</c>: a question to the applicant, optionally stopping a clock until answered.</summary>
public sealed record RequestInformationSettings(DynamicValue Question, DueRule? Due, string? StopsClock, string ResultVariable) : StepSettings;

/// <summary>What a clock step does.</summary>
public enum ClockAction
{
    /// <summary>Starts a clock.</summary>
    Start,

    /// <summary>Stops (pauses) a clock.</summary>
    Stop,

    /// <summary>Resumes a stopped clock.</summary>
    Resume,

    /// <summary>Adds days to a clock.</summary>
    Extend,

    /// <summary>Completes a clock: it no longer runs or expires.</summary>
    Complete,
}

/// <summary><c>clock</c>: start, stop, resume, extend or complete a statutory clock.</summary>
public sealed record ClockSettings(ClockAction Action, string Clock, DynamicValue? Jurisdiction, DynamicValue? Calendar, DynamicValue? Unit, DynamicValue? Days, string? ExpiryEvent) : StepSettings;

/// <summary><c>timer</c>: waits for a period.</summary>
public sealed record TimerSettings(DueRule Wait) : StepSettings;

/// <summary><c>notification</c>: a message recorded in the outbox for the host to deliver.</summary>
public sealed record NotificationSettings(string Audience, DynamicValue? Jurisdiction, DynamicValue Subject, DynamicValue? Body) : StepSettings;

/// <summary><c>fork</c>: starts every outcome as a parallel branch (those whose condition holds).</summary>
public sealed record ForkSettings(IReadOnlyDictionary<string, PreparedExpression> Conditions) : StepSettings;

/// <summary>How a join completes.</summary>
public enum JoinMode
{
    /// <summary>When every started branch arrived.</summary>
    All,

    /// <summary>When the first branch arrives; the others are cancelled.</summary>
    Any,

    /// <summary>When N branches arrived; the others are cancelled.</summary>
    Count,
}

/// <summary><c>join</c>: waits for parallel branches.</summary>
public sealed record JoinSettings(JoinMode Mode, int Count) : StepSettings;

/// <summary><c>decision</c>: records the case decision (outcome and conditions) and completes the clocks.</summary>
public sealed record DecisionSettings(DynamicValue Outcome, DynamicValue? Conditions, DynamicValue? Calendar, string ConditionUnit) : StepSettings;

/// <summary><c>end</c>: finishes the instance with a case status (and a decision outcome when none was recorded).</summary>
public sealed record EndSettings(string Status, DynamicValue? Outcome) : StepSettings;
