using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Steps;

namespace Screening.Workflows.Runtime;

/// <summary>
/// One runner call's worth of execution against one instance: the loop that runs every ready branch until
/// all are blocked or finished, the journal, and what the call did (its effects). Step types act through a
/// <see cref="StepContext"/>; the bookmark, timer and clock machinery lives in the other parts of this class.
/// </summary>
internal sealed partial class Execution
{
    private readonly WorkflowServices _services;
    private readonly List<WorkflowEffect> _effects = [];
    private readonly List<JournalEntry> _trace = [];
    private readonly HashSet<string> _changed = [];
    private ExpressionSession? _session;
    private int _steps;

    public Execution(WorkflowServices services, CompiledDefinition definition, WorkflowInstance instance, string? actor, DateTimeOffset? effectiveAt = null, DateOnly? effectiveOn = null)
    {
        _services = services;
        Definition = definition;
        Instance = instance;
        Actor = actor ?? WorkflowRunner.SystemActor;
        var now = services.Time.GetUtcNow();
        Now = effectiveAt is { } at && at < now ? at : now;
        EffectiveOn = effectiveOn;
    }

    public CompiledDefinition Definition { get; }

    public WorkflowInstance Instance { get; }

    public DateTimeOffset Now { get; }

    public string Actor { get; }

    /// <summary>The day the act recorded by this call took effect, when the actor gave one.</summary>
    public DateOnly? EffectiveOn { get; }

    public ExpressionSession Session
    {
        get
        {
            if (_session is null)
            {
                _session = Definition.Sessions.Rent();
                _session.SetVariables(Instance.Variables);
                _changed.Clear();
            }
            else if (_changed.Count > 0)
            {
                _session.SetChanged(Instance.Variables, _changed);
                _changed.Clear();
            }

            return _session;
        }
    }

    /// <summary>Runs every ready branch, then gives back the expression session and reports what happened.</summary>
    public RunResult Finish(string? bookmarkId = null)
    {
        Instance.Status = WorkflowStatus.Running;
        while (Instance.Status == WorkflowStatus.Running && Instance.Tokens.FirstOrDefault(t => t.State == TokenState.Ready) is { } token)
        {
            if (++_steps > _services.MaxStepsPerRun)
            {
                Fault(token, null, $"More than {_services.MaxStepsPerRun} steps ran without waiting for anything: the definition loops. The branch was stopped.");
                continue;
            }

            RunStep(token);
        }

        if (Instance.Status != WorkflowStatus.Finished)
        {
            Instance.Status = Instance.Tokens.Any(t => t.State == TokenState.Faulted) ? WorkflowStatus.Faulted : WorkflowStatus.Suspended;
        }

        Instance.UpdatedAt = Now;
        ReturnSession();
        return new RunResult { Status = ResumeStatus.Resumed, BookmarkId = bookmarkId, Instance = Instance, Effects = _effects, Trace = _trace };
    }

    /// <summary>Gives the expression session back without running (a refused call).</summary>
    public RunResult Refuse(Refusal refusal, string message, string? field = null)
    {
        ReturnSession();
        return RunResult.Refused(Instance, refusal, message, field);
    }

    private void ReturnSession()
    {
        if (_session is not null)
        {
            Definition.Sessions.Return(_session);
            _session = null;
        }
    }

    private void RunStep(Token token)
    {
        var step = Definition.Step(token.StepId);
        if (step.Stage is not null)
        {
            Instance.SubStatus = step.Stage;
        }

        var entry = BeginEntry(step.Id, step.Type, token.Id);
        var context = new StepContext(this, step, token, entry);
        try
        {
            Definition.StepType(step.Id).Execute(context);
        }
        catch (Exception ex) when (ex is ExpressionFailedException or StepFailedException)
        {
            Fault(token, entry, ex.Message);
        }
    }

    /// <summary>Runs a resumption or a timer of a waiting step, turning its failures into an incident.</summary>
    public RunResult Guard(Token? token, JournalEntry? entry, Func<RunResult?> action)
    {
        try
        {
            return action() ?? Finish();
        }
        catch (Exception ex) when (token is not null && ex is ExpressionFailedException or StepFailedException)
        {
            Fault(token, entry, ex.Message);
            return Finish();
        }
    }

    public Token AddToken(string stepId, IEnumerable<ForkFrame> forks)
    {
        var token = new Token { Id = Instance.NextId("t"), StepId = stepId, State = TokenState.Ready, Forks = [.. forks] };
        Instance.Tokens.Add(token);
        return token;
    }

    // ---- the journal: every entry is made here, so sequence numbers have one source

    public JournalEntry BeginEntry(string stepId, string type, string? tokenId)
    {
        var entry = new JournalEntry(Instance.Journal.Count + 1, stepId, type, tokenId, Now);
        Instance.Journal.Add(entry);
        _trace.Add(entry);
        return entry;
    }

    /// <summary>Records something that happened to a step without it running again (an escalation, an expiry, a request).</summary>
    public JournalEntry RecordEvent(string stepId, string type, string? tokenId, string outcome, string? actor = null, string? note = null)
    {
        var entry = BeginEntry(stepId, type, tokenId);
        entry.Actor = actor ?? Actor;
        entry.Outcome = outcome;
        entry.CompletedAt = Now;
        entry.Note = note;
        return entry;
    }

    /// <summary>The entry of a waiting step, reopened for the call that resumes it.</summary>
    public JournalEntry ResumeEntry(Token token, string stepId)
    {
        // Part of this call's trace only once the call completes or faults it (a clock's end may leave it waiting).
        return Instance.Journal.LastOrDefault(e => e.TokenId == token.Id && e.StepId == stepId && e.CompletedAt is null)
            ?? throw new InvalidOperationException($"No open journal entry for step '{stepId}'.");
    }

    public void Continue(Token token, StepDefinition step, string outcome, JournalEntry entry)
    {
        Traced(entry);
        entry.Outcome = outcome;
        entry.CompletedAt = Now;
        var target = step.Target(outcome) ?? throw new StepFailedException($"Outcome '{outcome}' of step '{step.Id}' leads nowhere.");
        token.StepId = target;
        token.State = TokenState.Ready;
    }

    public void Fault(Token token, JournalEntry? entry, string message)
    {
        token.State = TokenState.Faulted;
        if (entry is not null)
        {
            Traced(entry);
            entry.Outcome = "faulted";
            entry.Note = message;
        }

        var incident = new Incident(Instance.NextId("i"), token.StepId, token.Id, message, Now);
        Instance.Incidents.Add(incident);
        Emit(new IncidentOpened(incident));
    }

    public void Emit(WorkflowEffect effect) => _effects.Add(effect);

    private void Traced(JournalEntry entry)
    {
        if (!_trace.Contains(entry))
        {
            _trace.Add(entry);
        }
    }

    public void SetVariable(string name, JsonNode? value)
    {
        Instance.Variables[name] = value;
        _changed.Add(name);
    }

    /// <summary>Cancels every branch and bookmark (clock expiries aside) and continues at an event's step.</summary>
    public void Interrupt(Route route, string why)
    {
        foreach (var token in Instance.Tokens.ToList())
        {
            CancelToken(token, why);
        }

        foreach (var bookmark in Instance.Bookmarks.Where(b => b.Kind != BookmarkKind.ClockExpiry).ToList())
        {
            CancelBookmark(bookmark);
        }

        foreach (var incident in Instance.Incidents.Where(i => i.ResolvedAt is null))
        {
            incident.ResolvedAt = Now;
        }

        AddToken(route.To, []);
        Instance.Status = WorkflowStatus.Running;
    }

    public void CancelToken(Token token, string why)
    {
        foreach (var bookmark in Instance.Bookmarks.Where(b => b.TokenId == token.Id).ToList())
        {
            CancelBookmark(bookmark);
        }

        foreach (var entry in Instance.Journal.Where(e => e.TokenId == token.Id && e.CompletedAt is null))
        {
            entry.Outcome = "cancelled";
            entry.CompletedAt = Now;
            entry.Note = why;
            Traced(entry);
        }

        Instance.Tokens.Remove(token);
    }

    // ---- calendars and periods

    public BusinessCalendar Calendar(string code) =>
        code.Length == 0 ? BusinessCalendar.Weekdays : _services.Calendars.Find(code) ?? throw new StepFailedException($"There is no calendar '{Truncate(code)}'.");

    public string HostCalendarCode() => Instance.Clocks.FirstOrDefault()?.Calendar ?? string.Empty;

    public DateOnly Today(string calendar) => Calendar(calendar).DateOf(Now);

    public DateTimeOffset DueInstant(DueRule rule, string defaultCalendar)
    {
        var calendar = Calendar(rule.Calendar?.EvaluateString(Session) ?? defaultCalendar);
        var unitText = rule.Unit.EvaluateString(Session);
        if (!DayUnits.TryParse(unitText, out var unit))
        {
            throw new StepFailedException($"'{unitText}' is not a unit of days.");
        }

        return calendar.EndOf(calendar.AddDays(calendar.DateOf(Now), Days(rule.Days, "The period's days"), unit));
    }

    public int Days(DynamicValue value, string what)
    {
        var days = value.EvaluateInt(Session, what);
        return days is < 0 or > BusinessCalendar.MaxDays
            ? throw new StepFailedException($"{what} must be between 0 and {BusinessCalendar.MaxDays}, not {days}.")
            : days;
    }

    public string NewBookmarkId() => SortableIds.New(Now).ToString();

    public static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}

/// <summary>A step could not run; its branch faults with this message.</summary>
public sealed class StepFailedException(string message) : Exception(message);
