using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary>
/// What a step type may do while its step runs or is resumed: read its settings and the variables, set
/// variables, open and close bookmarks, work the clocks, send notifications, and continue with an outcome.
/// Everything it does is recorded as an effect of the run; the step never sees the host.
/// </summary>
public sealed class StepContext
{
    private readonly Execution _run;

    internal StepContext(Execution run, StepDefinition step, Token? token, JournalEntry? entry)
    {
        _run = run;
        Step = step;
        Token = token;
        Entry = entry;
    }

    /// <summary>The step.</summary>
    public StepDefinition Step { get; }

    /// <summary>The branch at the step (null for a bookmark no branch waits on, such as a request sent from a task).</summary>
    public Token? Token { get; }

    /// <summary>The step's journal entry for this run, if there is one.</summary>
    public JournalEntry? Entry { get; }

    /// <summary>The instance (read it; change it only through this context).</summary>
    public WorkflowInstance Instance => _run.Instance;

    /// <summary>The definition.</summary>
    public CompiledDefinition Definition => _run.Definition;

    /// <summary>The instant the run acts at.</summary>
    public DateTimeOffset Now => _run.Now;

    /// <summary>Who acts (a user id, or <c>system</c>).</summary>
    public string Actor => _run.Actor;

    /// <summary>The day the act recorded by this run took effect, when the actor gave an earlier one.</summary>
    public DateOnly? EffectiveOn => _run.EffectiveOn;

    /// <summary>The expression session of the run (variables are current).</summary>
    public ExpressionSession Expressions => _run.Session;

    /// <summary>The step's typed settings.</summary>
    public T Settings<T>()
        where T : StepSettings => Definition.Settings<T>(Step.Id);

    /// <summary>A setting's value now.</summary>
    public JsonNode? Evaluate(DynamicValue value) => value.Evaluate(_run.Session);

    /// <summary>A setting's value now, as text.</summary>
    public string? EvaluateString(DynamicValue? value) => value?.EvaluateString(_run.Session);

    /// <summary>A translated setting now.</summary>
    public LocalizedText? Evaluate(LocalizedValue? value) => value?.Evaluate(_run.Session);

    /// <summary>An expression's truth now.</summary>
    public bool IsTrue(PreparedExpression expression) => _run.Session.EvaluateBoolean(expression);

    /// <summary>A setting that must give a non-empty text.</summary>
    public string RequiredString(DynamicValue value, string what) =>
        EvaluateString(value) is { Length: > 0 } text ? text : throw new StepFailedException($"{what} is empty.");

    /// <summary>A whole number of days from a setting, within the calendars' range.</summary>
    public int Days(DynamicValue value, string what) => _run.Days(value, what);

    /// <summary>Fails the step: its branch faults with an incident carrying the message.</summary>
    public static StepFailedException Fail(string message) => new(message);

    /// <summary>Refuses a resumption; nothing changes.</summary>
    public RunResult Refuse(Refusal refusal, string message, string? field = null) => _run.Refuse(refusal, message, field);

    /// <summary>Sets a variable.</summary>
    public void SetVariable(string name, JsonNode? value) => _run.SetVariable(name, value);

    /// <summary>Adds a short note to the step's journal entry.</summary>
    public void Note(string note)
    {
        if (Entry is not null)
        {
            Entry.Note = note;
        }
    }

    /// <summary>Records who completed the step.</summary>
    public void ActedBy(string actor)
    {
        if (Entry is not null)
        {
            Entry.Actor = actor;
        }
    }

    /// <summary>Completes the step: the branch continues with the outcome's route.</summary>
    public void Continue(string outcome) =>
        _run.Continue(Token ?? throw new InvalidOperationException("No branch waits at this step."), Step, outcome, Entry ?? throw new InvalidOperationException("The step has no journal entry."));

    /// <summary>Ends the step's journal entry without continuing (a fork that replaced its branch, the end).</summary>
    public void Complete(string outcome)
    {
        if (Entry is not null)
        {
            Entry.Outcome = outcome;
            Entry.CompletedAt = Now;
        }
    }

    /// <summary>Records an event of the step (an escalation, a request sent from a task) in the journal.</summary>
    public void RecordEvent(string type, string outcome, string? note = null) => _run.RecordEvent(Step.Id, type, Token?.Id, outcome, note: note);

    /// <summary>A new bookmark id.</summary>
    public string NewBookmarkId() => _run.NewBookmarkId();

    /// <summary>The branch waits on a bookmark.</summary>
    public void Wait(Bookmark bookmark) => _run.Wait(Token ?? throw new InvalidOperationException("No branch is at this step."), bookmark);

    /// <summary>Opens a human task the branch waits on.</summary>
    public void OpenTask(Bookmark task) => _run.OpenTask(Token ?? throw new InvalidOperationException("No branch is at this step."), task);

    /// <summary>Closes a task with an outcome (null when cancelled) and the official's comment.</summary>
    public void CloseTask(Bookmark task, string? outcome, TaskCloseReason reason, string? comment = null) => _run.CloseTask(task, outcome, reason, comment);

    /// <summary>An open task was escalated.</summary>
    public void Escalated(Bookmark task) => _run.Emit(new TaskEscalated(task));

    /// <summary>Opens a request for information (the branch waits on it when it carries the branch's token).</summary>
    public void OpenRequest(Bookmark request) => _run.OpenRequest(request);

    /// <summary>Answers a request; the answer as the workflow keeps it.</summary>
    public JsonObject AnswerRequest(Bookmark request, ResumeInput input) => _run.AnswerRequest(request, input);

    /// <summary>Closes a request that expired.</summary>
    public void ExpireRequest(Bookmark request) => _run.CloseRequest(request, RequestCloseReason.Expired, null);

    /// <summary>Sets a timer bookmark that fires at an instant.</summary>
    public Bookmark AddTimer(BookmarkKind kind, DateTimeOffset dueAt, string? tokenId = null, string? parentId = null) => _run.AddTimer(kind, Step.Id, tokenId, parentId, dueAt);

    /// <summary>Closes a bookmark (and its timers); a fired timer is reported as fired.</summary>
    public void CloseBookmark(Bookmark bookmark, bool fired = false) => _run.CloseBookmark(bookmark, fired);

    /// <summary>Queues a notification.</summary>
    public void Notify(Notification notification) => _run.Emit(new NotificationQueued(notification));

    /// <summary>Reminds the applicant that a request for information went unanswered past its due date.</summary>
    public void NotifyRequestOverdue(Bookmark request) =>
        Notify(new Notification(null, null, null, null, request.StepId)
        {
            Kind = NotificationKinds.RequestOverdue,
            Data = new() { ["question"] = request.Request!.Question },
        });

    /// <summary>Reports an effect of the step's own kind (a decision, a notice).</summary>
    public void Emit(WorkflowEffect effect) => _run.Emit(effect);

    /// <summary>Starts a new branch at a step.</summary>
    public Token AddBranch(string stepId, IEnumerable<ForkFrame> forks) => _run.AddToken(stepId, forks);

    /// <summary>Removes the branch at this step (a fork replaced it, or a join merged it).</summary>
    public void RemoveBranch(Token token) => Instance.Tokens.Remove(token);

    /// <summary>Cancels a branch with everything it waits on.</summary>
    public void CancelBranch(Token token, string why) => _run.CancelToken(token, why);

    /// <summary>Cancels a bookmark (a task or request closes as cancelled).</summary>
    public void CancelBookmark(Bookmark bookmark) => _run.CancelBookmark(bookmark);

    /// <summary>A new id for a fork frame.</summary>
    public string NewFrameId() => Instance.NextId("f");

    /// <summary>Finishes the instance with an end status.</summary>
    public void FinishInstance(string endStatus)
    {
        Instance.Tokens.Clear();
        Instance.EndStatus = endStatus;
        Instance.Status = WorkflowStatus.Finished;
        Instance.FinishedAt = Now;
    }

    /// <summary>Interrupts every branch and continues at an event's step.</summary>
    public void Interrupt(Route route, string why) => _run.Interrupt(route, why);

    /// <summary>A calendar by code (the empty code: weekdays with no holidays).</summary>
    public BusinessCalendar Calendar(string code) => _run.Calendar(code);

    /// <summary>The calendar of the case's first clock (what periods without a calendar count on).</summary>
    public string HostCalendarCode() => _run.HostCalendarCode();

    /// <summary>Today on a calendar.</summary>
    public DateOnly Today(string calendar) => _run.Today(calendar);

    /// <summary>The end of the last day of a period counted from today.</summary>
    public DateTimeOffset DueInstant(DueRule rule, string defaultCalendar) => _run.DueInstant(rule, defaultCalendar);

    /// <summary>The clocks of a name (of one jurisdiction, or all).</summary>
    public IEnumerable<StatutoryClock> Clocks(string name, string? jurisdiction) => _run.ClocksNamed(name, jurisdiction);

    /// <summary>Starts a clock (replacing one of the same name and jurisdiction).</summary>
    public StatutoryClock StartClock(ClockStart start, BusinessCalendar calendar) => _run.StartClock(start with { StartedBy = Step.Id }, calendar);

    /// <summary>Stops the clocks their stop policy lets stop, for a reason; returns those stopped.</summary>
    public IReadOnlyList<StatutoryClock> StopClocks(string name, string? jurisdiction, string reason) => _run.StopClocks(name, jurisdiction, reason);

    /// <summary>Resumes clocks (every reason cleared when null).</summary>
    public void ResumeClocks(string name, string? jurisdiction, string? reason) => _run.ResumeClocks(name, jurisdiction, reason);

    /// <summary>Adds days to a clock.</summary>
    public void ExtendClock(StatutoryClock clock, int days) => _run.ExtendClock(clock, days);

    /// <summary>Completes a clock.</summary>
    public void CompleteClock(StatutoryClock clock) => _run.CompleteClock(clock);

    /// <summary>Completes every clock of the case.</summary>
    public void CompleteAllClocks() => _run.CompleteAllClocks();

    /// <summary>A clock's due date as of today.</summary>
    public DateOnly DueDate(StatutoryClock clock) => _run.DueDate(clock);

    /// <summary>The journal entry of a waiting step, reopened for this run.</summary>
    internal JournalEntry ResumeEntry(Token token, string stepId) => _run.ResumeEntry(token, stepId);

    /// <summary>A context for another step (a task a timer belongs to), resuming its branch's entry.</summary>
    public StepContext For(Bookmark bookmark)
    {
        var step = Definition.Step(bookmark.StepId);
        var token = bookmark.TokenId is { } id ? Instance.Tokens.FirstOrDefault(t => t.Id == id) : null;
        var entry = token is null ? null : _run.ResumeEntry(token, step.Id);
        return new StepContext(_run, step, token, entry);
    }
}
