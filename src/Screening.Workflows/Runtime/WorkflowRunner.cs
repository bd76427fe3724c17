using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;

namespace Screening.Workflows.Runtime;

/// <summary>
/// The interpreter. Every public method loads nothing and saves nothing: it changes the instance it is
/// given, tells the services what opened and closed, and runs every ready branch until all are blocked
/// on a bookmark or finished. The host calls it inside one transaction per command.
/// </summary>
public sealed class WorkflowRunner(WorkflowServices services)
{
    private WorkflowServices Services { get; } = services;

    /// <summary>The actor name used for what the engine does by itself (timeouts, deemed approvals).</summary>
    public const string SystemActor = "system";

    /// <summary>Creates and runs a new instance until it blocks.</summary>
    public WorkflowInstance Start(CompiledDefinition definition, string instanceId, JsonObject? input = null)
    {
        if (!definition.IsValid)
        {
            throw new InvalidOperationException($"Definition '{definition.Definition.Key}' v{definition.Definition.Version} has {definition.Problems.Count} problem(s) and cannot run.");
        }

        var now = Services.Time.GetUtcNow();
        var variables = (JsonObject)definition.Definition.Variables.DeepClone();
        foreach (var (name, value) in input ?? [])
        {
            variables[name] = value?.DeepClone();
        }

        var instance = new WorkflowInstance
        {
            Id = instanceId,
            DefinitionKey = definition.Definition.Key,
            DefinitionVersion = definition.Definition.Version,
            Status = WorkflowStatus.Running,
            Variables = variables,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var run = new Run(this, definition, instance);
        run.AddToken(definition.Definition.Start, []);
        run.Execute();
        return instance;
    }

    /// <summary>
    /// Resumes a task (completing it with an outcome) or a request for information (answering it).
    /// A second resume of the same bookmark is a reported no-op.
    /// </summary>
    public ResumeResult Resume(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId, ResumeInput input)
    {
        if (Closed(instance, bookmarkId) is { } closed)
        {
            return closed;
        }

        var bookmark = instance.FindBookmark(bookmarkId)!;
        var run = new Run(this, definition, instance) { Actor = input.Actor };
        var result = bookmark.Kind switch
        {
            BookmarkKind.Task => run.CompleteTask(bookmark, input, "completed"),
            BookmarkKind.InformationRequest => run.AnswerRequest(bookmark, input),
            _ => ResumeResult.Reject("A timer fires by itself; it cannot be resumed by a person."),
        };
        if (result.Succeeded)
        {
            run.Execute();
        }
        else
        {
            run.ReturnSession();
        }

        return result;
    }

    /// <summary>Fires a timer bookmark if it is due. Safe to call twice, early or late.</summary>
    public ResumeResult FireTimer(CompiledDefinition definition, WorkflowInstance instance, string bookmarkId)
    {
        if (Closed(instance, bookmarkId) is { } closed)
        {
            return closed;
        }

        var bookmark = instance.FindBookmark(bookmarkId)!;
        if (!bookmark.IsTimer)
        {
            return ResumeResult.Reject("That bookmark is not a timer.");
        }

        if (bookmark.DueAt > Services.Time.GetUtcNow())
        {
            return new ResumeResult(ResumeStatus.NotDue, $"The timer is due at {bookmark.DueAt:O}.");
        }

        // A timer that fires late (after an outage) takes effect at its due instant, as if on time:
        // a deemed approval is dated when the period ended, a clock started by a timeout starts that day.
        var run = new Run(this, definition, instance, bookmark.DueAt) { Actor = SystemActor };
        var result = run.FireTimer(bookmark);
        if (result.Succeeded)
        {
            run.Execute();
        }
        else
        {
            run.ReturnSession();
        }

        return result;
    }

    /// <summary>The timer bookmarks due at or before now, soonest first (what a sweep or simulated clock fires).</summary>
    public IReadOnlyList<Bookmark> DueTimers(WorkflowInstance instance)
    {
        var now = Services.Time.GetUtcNow();
        return [.. instance.Bookmarks.Where(b => b.IsTimer && b.DueAt <= now).OrderBy(b => b.DueAt)];
    }

    /// <summary>
    /// Sends a request for information to the applicant from an open task. Where the task's step says so,
    /// the named clock stops until the request is answered.
    /// </summary>
    public ResumeResult RequestInformation(CompiledDefinition definition, WorkflowInstance instance, string taskBookmarkId, string question, int dueInDays, string actor)
    {
        if (instance.FindBookmark(taskBookmarkId) is not { Kind: BookmarkKind.Task } task)
        {
            return new ResumeResult(ResumeStatus.NotFound, "No open task with that id.");
        }

        if (task.Task is not { AllowsInformationRequests: true })
        {
            return ResumeResult.Reject("This step does not send requests for information.");
        }

        if (dueInDays is < 1 or > 365)
        {
            return ResumeResult.Reject("A request must be due in 1 to 365 days.");
        }

        var run = new Run(this, definition, instance) { Actor = actor };
        var id = run.OpenAdHocRequest(task, question, dueInDays, actor);
        run.Execute();
        return ResumeResult.Ok(id);
    }

    /// <summary>
    /// Raises a definition-wide event (for example <c>withdraw</c>): every branch, task, request and timer
    /// is cancelled and execution continues at the event's step.
    /// </summary>
    public ResumeResult RaiseEvent(CompiledDefinition definition, WorkflowInstance instance, string eventName, string actor)
    {
        if (instance.Status == WorkflowStatus.Finished)
        {
            return ResumeResult.Reject("The workflow has already finished.");
        }

        var route = definition.Definition.Events.FirstOrDefault(e => e.Name == eventName);
        if (route is null)
        {
            return new ResumeResult(ResumeStatus.NotFound, $"The workflow does not handle the event '{eventName}'.");
        }

        var run = new Run(this, definition, instance) { Actor = actor };
        run.Interrupt(route, $"event '{eventName}'");
        run.Execute();
        return ResumeResult.Ok();
    }

    /// <summary>Retries the step of an open incident.</summary>
    public ResumeResult Retry(CompiledDefinition definition, WorkflowInstance instance, string incidentId)
    {
        var incident = instance.Incidents.FirstOrDefault(i => i.Id == incidentId);
        if (incident is null)
        {
            return new ResumeResult(ResumeStatus.NotFound, "No such incident.");
        }

        if (incident.ResolvedAt is not null)
        {
            return new ResumeResult(ResumeStatus.AlreadyResumed, "The incident was already retried.");
        }

        var token = instance.Tokens.FirstOrDefault(t => t.Id == incident.TokenId && t.State == TokenState.Faulted);
        incident.ResolvedAt = Services.Time.GetUtcNow();
        if (token is not null)
        {
            token.State = TokenState.Ready;
        }

        new Run(this, definition, instance).Execute();
        return ResumeResult.Ok();
    }

    private static ResumeResult? Closed(WorkflowInstance instance, string bookmarkId)
    {
        if (instance.FindBookmark(bookmarkId) is not null)
        {
            return null;
        }

        return instance.ClosedBookmarks.Contains(bookmarkId)
            ? new ResumeResult(ResumeStatus.AlreadyResumed, "That was already done; nothing changed.")
            : new ResumeResult(ResumeStatus.NotFound, "The workflow is not waiting for that.");
    }

    /// <summary>One call's worth of execution against one instance.</summary>
    private sealed class Run(WorkflowRunner runner, CompiledDefinition definition, WorkflowInstance instance, DateTimeOffset? effectiveAt = null)
    {
        private static readonly BusinessCalendar PlainCalendar = new("default", "Weekdays", [DayOfWeek.Saturday, DayOfWeek.Sunday], []);
        private readonly WorkflowServices _services = runner.Services;
        private readonly DateTimeOffset _now = effectiveAt is { } at && at < runner.Services.Time.GetUtcNow() ? at : runner.Services.Time.GetUtcNow();
        private ExpressionSession? _session;
        private readonly HashSet<string> _changed = [];
        private int _steps;

        public string? Actor { get; init; }

        private ExpressionSession Session
        {
            get
            {
                if (_session is null)
                {
                    _session = definition.Sessions.Rent();
                    _session.SetVariables(instance.Variables);
                    _changed.Clear();
                }
                else if (_changed.Count > 0)
                {
                    _session.SetChanged(instance.Variables, _changed);
                    _changed.Clear();
                }

                return _session;
            }
        }

        public Token AddToken(string stepId, List<string> forks)
        {
            var token = new Token { Id = instance.NextId("t"), StepId = stepId, State = TokenState.Ready, Forks = forks };
            instance.Tokens.Add(token);
            return token;
        }

        public void Execute()
        {
            instance.Status = WorkflowStatus.Running;
            while (instance.Status == WorkflowStatus.Running && instance.Tokens.FirstOrDefault(t => t.State == TokenState.Ready) is { } token)
            {
                if (++_steps > _services.MaxStepsPerRun)
                {
                    Fault(token, null, $"More than {_services.MaxStepsPerRun} steps ran without waiting for anything: the definition loops. The branch was stopped.");
                    continue;
                }

                Step(token);
            }

            if (instance.Status != WorkflowStatus.Finished)
            {
                instance.Status = instance.Tokens.Any(t => t.State == TokenState.Faulted) ? WorkflowStatus.Faulted : WorkflowStatus.Suspended;
            }

            instance.UpdatedAt = _now;
            ReturnSession();
        }

        /// <summary>Gives the expression session back to the definition's pool (also when a call ends without running).</summary>
        public void ReturnSession()
        {
            if (_session is not null)
            {
                definition.Sessions.Return(_session);
                _session = null;
            }
        }

        private void Step(Token token)
        {
            var step = definition.Step(token.StepId);
            if (step.Stage is not null)
            {
                instance.SubStatus = step.Stage;
            }

            var entry = new JournalEntry(instance.Journal.Count + 1, step.Id, step.Type, token.Id, _now);
            instance.Journal.Add(entry);
            try
            {
                switch (step.Type)
                {
                    case StepTypes.Assign: Assign(token, step, entry); break;
                    case StepTypes.Decide: Decide(token, step, entry); break;
                    case StepTypes.DecisionTable: DecisionTable(token, step, entry); break;
                    case StepTypes.HumanTask: OpenTask(token, step); break;
                    case StepTypes.RequestInformation: OpenStepRequest(token, step); break;
                    case StepTypes.Clock: ClockStep(token, step, entry); break;
                    case StepTypes.Timer: OpenTimer(token, step); break;
                    case StepTypes.Notification: Notify(token, step, entry); break;
                    case StepTypes.Fork: Fork(token, step, entry); break;
                    case StepTypes.Join: Join(token, step, entry); break;
                    case StepTypes.Decision: RecordDecision(token, step, entry); break;
                    case StepTypes.End: End(step, entry); break;
                    default: Fault(token, entry, $"Unknown step type '{step.Type}'."); break;
                }
            }
            catch (ExpressionFailedException ex)
            {
                Fault(token, entry, ex.Message);
            }
            catch (StepFailedException ex)
            {
                Fault(token, entry, ex.Message);
            }
        }

        private void Assign(Token token, StepDefinition step, JournalEntry entry)
        {
            foreach (var (variable, value) in definition.Settings<AssignSettings>(step.Id).Assignments)
            {
                SetVariable(variable, value.Evaluate(Session)?.DeepClone());
            }

            Continue(token, step, StepTypes.Done, entry);
        }

        private void Decide(Token token, StepDefinition step, JournalEntry entry)
        {
            var value = Session.Evaluate(definition.Settings<DecideSettings>(step.Id).Expression);
            var outcome = DynamicValue.AsString(value) ?? "null";
            if (!step.HasOutcome(outcome))
            {
                if (!step.HasOutcome("default"))
                {
                    throw new StepFailedException($"The decision gave '{Truncate(outcome)}', which is not one of its outcomes ({string.Join(", ", step.Outcomes.Select(o => o.Name))}).");
                }

                outcome = "default";
            }

            Continue(token, step, outcome, entry);
        }

        private void DecisionTable(Token token, StepDefinition step, JournalEntry entry)
        {
            var table = definition.Settings<DecisionTableSettings>(step.Id);
            var fired = new JsonArray();
            var collected = new Dictionary<string, JsonArray>();
            var matched = false;
            foreach (var rule in table.Rules)
            {
                if (!Session.EvaluateBoolean(rule.When))
                {
                    continue;
                }

                matched = true;
                fired.Add(new JsonObject { ["id"] = rule.Id, ["description"] = rule.Description });
                if (table.HitPolicy == HitPolicy.First)
                {
                    foreach (var (output, value) in rule.Then)
                    {
                        SetVariable(output, value.Evaluate(Session)?.DeepClone());
                    }

                    break;
                }

                foreach (var (output, value) in rule.Then)
                {
                    if (!collected.TryGetValue(output, out var list))
                    {
                        collected[output] = list = [];
                    }

                    list.Add(value.Evaluate(Session)?.DeepClone());
                }
            }

            if (table.HitPolicy == HitPolicy.Collect)
            {
                var outputs = table.Rules.SelectMany(r => r.Then.Select(t => t.Output)).Concat(table.Defaults.Select(d => d.Output)).Distinct();
                foreach (var output in outputs)
                {
                    SetVariable(output, collected.TryGetValue(output, out var list) ? list : []);
                }
            }

            if (!matched)
            {
                foreach (var (output, value) in table.Defaults)
                {
                    SetVariable(output, table.HitPolicy == HitPolicy.Collect ? new JsonArray(value.Evaluate(Session)?.DeepClone()) : value.Evaluate(Session)?.DeepClone());
                }
            }

            SetVariable(table.FiredRulesVariable, fired);
            entry.Note = fired.Count == 0 ? "no rule fired" : "fired: " + string.Join(", ", fired.Select(f => f!["id"]!.GetValue<string>()));
            Continue(token, step, StepTypes.Done, entry);
        }

        private void OpenTask(Token token, StepDefinition step)
        {
            var settings = definition.Settings<HumanTaskSettings>(step.Id);
            var jurisdiction = RequiredString(settings.Jurisdiction, "The task's jurisdiction");
            var role = RequiredString(settings.Role, "The task's role");
            var dueAt = settings.Due is null ? (DateTimeOffset?)null : DueInstant(settings.Due, jurisdiction);
            var task = new Bookmark
            {
                Id = NewBookmarkId(),
                Kind = BookmarkKind.Task,
                StepId = step.Id,
                TokenId = token.Id,
                CreatedAt = _now,
                DueAt = dueAt,
                Task = new HumanTask
                {
                    Title = settings.Title.EvaluateString(Session) ?? step.DisplayName,
                    Description = settings.Description,
                    Role = role,
                    Jurisdiction = jurisdiction,
                    Outcomes = [.. step.Outcomes.Select(o => o.Name)],
                    DueAt = dueAt,
                    FollowUpAt = settings.FollowUp is null ? null : DueInstant(settings.FollowUp, jurisdiction),
                    ExcludedActors = ExcludedActors(settings),
                    AllowsInformationRequests = settings.AllowsInformationRequests,
                },
            };
            Wait(token, task);
            _services.Tasks.Opened(instance, task);
            if (settings.Timeout is { } timeout)
            {
                AddTimer(BookmarkKind.TaskTimeout, step.Id, null, task.Id, DueInstant(timeout.After, jurisdiction));
            }

            if (settings.Escalation is not null && dueAt is { } due)
            {
                AddTimer(BookmarkKind.TaskEscalation, step.Id, null, task.Id, due);
            }
        }

        public ResumeResult CompleteTask(Bookmark task, ResumeInput input, string reason)
        {
            var work = task.Task!;
            if (input.Outcome is null || !work.Outcomes.Contains(input.Outcome))
            {
                return ResumeResult.Reject($"'{input.Outcome}' is not an outcome of this task; use one of: {string.Join(", ", work.Outcomes)}.");
            }

            var settings = definition.Settings<HumanTaskSettings>(task.StepId);
            if (input.Actor != SystemActor && (work.ExcludedActors.Contains(input.Actor) || ExcludedActors(settings).Contains(input.Actor)))
            {
                return ResumeResult.Reject("Four eyes: you acted earlier on this case, so another official must complete this task.");
            }

            CloseBookmark(task);
            _services.Tasks.Closed(instance, task, new TaskClosure(input.Outcome, input.Actor, reason));
            var result = new JsonObject
            {
                ["outcome"] = input.Outcome,
                ["actor"] = input.Actor,
                ["comment"] = input.Comment,
                ["completedAt"] = _now.UtcDateTime.ToString("O"),
                ["jurisdiction"] = work.Jurisdiction,
                ["reason"] = reason,
            };
            if (input.Data is JsonObject data)
            {
                foreach (var (key, value) in data)
                {
                    result[key] = value?.DeepClone();
                }
            }

            SetVariable(settings.ResultVariable, result);
            var token = instance.Tokens.First(t => t.Id == task.TokenId);
            var entry = OpenEntry(token, task.StepId);
            entry.Actor = input.Actor;
            if (reason == "timeout")
            {
                entry.Note = $"no answer within the period: taken as '{input.Outcome}'";
            }

            Continue(token, definition.Step(task.StepId), input.Outcome, entry);
            return ResumeResult.Ok();
        }

        private void OpenStepRequest(Token token, StepDefinition step)
        {
            var settings = definition.Settings<RequestInformationSettings>(step.Id);
            var question = settings.Question.EvaluateString(Session);
            if (string.IsNullOrWhiteSpace(question))
            {
                throw new StepFailedException("The request has no question.");
            }

            var calendarCode = settings.Due?.Calendar is null ? HostCalendarCode() : null;
            var dueAt = settings.Due is null ? (DateTimeOffset?)null : DueInstant(settings.Due, calendarCode ?? string.Empty);
            var request = new Bookmark
            {
                Id = NewBookmarkId(),
                Kind = BookmarkKind.InformationRequest,
                StepId = step.Id,
                TokenId = token.Id,
                CreatedAt = _now,
                DueAt = dueAt,
                Request = new InformationRequest { Question = question, DueAt = dueAt, RequestedBy = Actor ?? SystemActor, StopsClock = settings.StopsClock },
            };
            Wait(token, request);
            OpenedRequest(request);
        }

        public string OpenAdHocRequest(Bookmark task, string question, int dueInDays, string actor)
        {
            var settings = definition.Settings<HumanTaskSettings>(task.StepId);
            var calendar = Calendar(task.Task!.Jurisdiction);
            var dueAt = calendar.EndOf(calendar.AddDays(calendar.DateOf(_now), dueInDays, DayUnit.Calendar));
            var request = new Bookmark
            {
                Id = NewBookmarkId(),
                Kind = BookmarkKind.InformationRequest,
                StepId = task.StepId,
                ParentId = task.Id,
                CreatedAt = _now,
                DueAt = dueAt,
                Request = new InformationRequest { Question = question, DueAt = dueAt, RequestedBy = actor, StopsClock = settings.InformationRequestStopsClock },
            };
            instance.Bookmarks.Add(request);
            OpenedRequest(request);
            instance.Journal.Add(new JournalEntry(instance.Journal.Count + 1, task.StepId, JournalTypes.InformationRequest, null, _now)
            {
                Actor = actor,
                Outcome = "requested",
                CompletedAt = _now,
                Note = request.Request.StopsClock is { } c ? $"clock '{c}' stopped until answered" : null,
            });
            return request.Id;
        }

        private void OpenedRequest(Bookmark request)
        {
            _services.Requests.Opened(instance, request);
            if (request.DueAt is { } due)
            {
                AddTimer(BookmarkKind.RequestExpiry, request.StepId, null, request.Id, due);
            }

            if (request.Request!.StopsClock is { } clockName)
            {
                foreach (var clock in instance.Clocks.Where(c => c.Name == clockName))
                {
                    if (clock.Stop(Calendar(clock.Calendar), Today(clock), request.Id))
                    {
                        CancelExpiry(clock);
                    }
                }
            }
        }

        public ResumeResult AnswerRequest(Bookmark request, ResumeInput input)
        {
            if (string.IsNullOrWhiteSpace(input.Comment))
            {
                return ResumeResult.Reject("An answer is required.");
            }

            CloseRequest(request, "answered");
            var answer = new JsonObject
            {
                ["question"] = request.Request!.Question,
                ["answer"] = input.Comment,
                ["answeredBy"] = input.Actor,
                ["answeredAt"] = _now.UtcDateTime.ToString("O"),
            };
            if (request.TokenId is null)
            {
                var answers = instance.Variables["informationAnswers"] as JsonArray ?? [];
                answers.Add(answer);
                SetVariable("informationAnswers", answers);
                instance.Journal.Add(new JournalEntry(instance.Journal.Count + 1, request.StepId, JournalTypes.InformationRequest, null, _now)
                {
                    Actor = input.Actor,
                    Outcome = "answered",
                    CompletedAt = _now,
                });
                return ResumeResult.Ok();
            }

            SetVariable(definition.Settings<RequestInformationSettings>(request.StepId).ResultVariable, answer);
            var token = instance.Tokens.First(t => t.Id == request.TokenId);
            var entry = OpenEntry(token, request.StepId);
            entry.Actor = input.Actor;
            Continue(token, definition.Step(request.StepId), "answered", entry);
            return ResumeResult.Ok();
        }

        private void CloseRequest(Bookmark request, string reason)
        {
            CloseBookmark(request);
            _services.Requests.Closed(instance, request, reason);
            if (request.Request!.StopsClock is { } clockName)
            {
                foreach (var clock in instance.Clocks.Where(c => c.Name == clockName))
                {
                    if (clock.Resume(Today(clock), request.Id))
                    {
                        ScheduleExpiry(clock);
                    }
                }
            }
        }

        public ResumeResult FireTimer(Bookmark timer)
        {
            switch (timer.Kind)
            {
                case BookmarkKind.Timer:
                {
                    CloseBookmark(timer);
                    var token = instance.Tokens.First(t => t.Id == timer.TokenId);
                    Continue(token, definition.Step(timer.StepId), StepTypes.Done, OpenEntry(token, timer.StepId));
                    return ResumeResult.Ok();
                }

                case BookmarkKind.TaskTimeout:
                {
                    var task = instance.FindBookmark(timer.ParentId!)!;
                    var timeout = definition.Settings<HumanTaskSettings>(task.StepId).Timeout!;
                    return CompleteTask(task, new ResumeInput(SystemActor, timeout.Outcome), "timeout");
                }

                case BookmarkKind.TaskEscalation:
                {
                    CloseBookmark(timer);
                    var task = instance.FindBookmark(timer.ParentId!)!;
                    var work = task.Task!;
                    var escalation = definition.Settings<HumanTaskSettings>(task.StepId).Escalation!;
                    work.Escalated = true;
                    if (escalation.ReassignRole is { } role)
                    {
                        work.Role = role;
                    }

                    foreach (var notify in escalation.NotifyRoles)
                    {
                        _services.Outbox.Enqueue(instance, new Notification(notify, work.Jurisdiction, $"Overdue: {work.Title}",
                            $"The task '{work.Title}' was due {work.DueAt:yyyy-MM-dd} and is not done.", task.StepId));
                    }

                    _services.Tasks.Escalated(instance, task);
                    instance.Journal.Add(new JournalEntry(instance.Journal.Count + 1, task.StepId, JournalTypes.Escalation, task.TokenId, _now)
                    {
                        Actor = SystemActor,
                        Outcome = "escalated",
                        CompletedAt = _now,
                    });
                    return ResumeResult.Ok();
                }

                case BookmarkKind.RequestExpiry:
                {
                    CloseBookmark(timer);
                    var request = instance.FindBookmark(timer.ParentId!)!;
                    if (request.TokenId is { } tokenId && definition.Step(request.StepId).HasOutcome("expired"))
                    {
                        CloseRequest(request, "expired");
                        var token = instance.Tokens.First(t => t.Id == tokenId);
                        var entry = OpenEntry(token, request.StepId);
                        entry.Actor = SystemActor;
                        entry.Note = "the applicant did not answer in time";
                        Continue(token, definition.Step(request.StepId), "expired", entry);
                    }
                    else
                    {
                        _services.Outbox.Enqueue(instance, new Notification("applicant", null, "A request for information is overdue",
                            request.Request!.Question, request.StepId));
                    }

                    return ResumeResult.Ok();
                }

                case BookmarkKind.ClockExpiry:
                {
                    CloseBookmark(timer);
                    var clock = instance.Clocks.First(c => c.ExpiryBookmarkId == timer.Id);
                    clock.ExpiryBookmarkId = null;
                    clock.Expire(Calendar(clock.Calendar), Today(clock));
                    instance.Journal.Add(new JournalEntry(instance.Journal.Count + 1, timer.StepId, JournalTypes.ClockExpiry, null, _now)
                    {
                        Actor = SystemActor,
                        Outcome = "expired",
                        CompletedAt = _now,
                        Note = $"clock '{clock.Name}' ({clock.Jurisdiction}) ran out",
                    });
                    if (clock.ExpiryEvent is { Length: > 0 } eventName && definition.Definition.Events.FirstOrDefault(e => e.Name == eventName) is { } route)
                    {
                        Interrupt(route, $"expiry of clock '{clock.Name}'");
                    }
                    else
                    {
                        _services.Outbox.Enqueue(instance, new Notification("officer", clock.Jurisdiction, $"Statutory clock '{clock.Name}' expired",
                            $"The {clock.Days}-day period ended on {clock.FrozenDueDate:yyyy-MM-dd}.", timer.StepId));
                    }

                    return ResumeResult.Ok();
                }

                default:
                    return ResumeResult.Reject("That bookmark is not a timer.");
            }
        }

        private void ClockStep(Token token, StepDefinition step, JournalEntry entry)
        {
            var settings = definition.Settings<ClockSettings>(step.Id);
            var jurisdiction = settings.Jurisdiction?.EvaluateString(Session);
            var targets = instance.Clocks.Where(c => c.Name == settings.Clock && (jurisdiction is null || c.Jurisdiction == jurisdiction)).ToList();
            switch (settings.Action)
            {
                case ClockAction.Start:
                {
                    if (string.IsNullOrEmpty(jurisdiction))
                    {
                        throw new StepFailedException("The clock's jurisdiction is empty.");
                    }

                    var calendar = Calendar(settings.Calendar?.EvaluateString(Session) ?? jurisdiction);
                    var unitText = settings.Unit!.EvaluateString(Session);
                    if (!DayUnits.TryParse(unitText, out var unit))
                    {
                        throw new StepFailedException($"'{unitText}' is not a unit of days.");
                    }

                    var days = Days(settings.Days!, "The clock's days");
                    foreach (var old in targets)
                    {
                        CancelExpiry(old);
                        instance.Clocks.Remove(old);
                    }

                    var clock = StatutoryClock.Start(settings.Clock, jurisdiction, calendar, unit, days, _now, settings.ExpiryEvent, step.Id);
                    instance.Clocks.Add(clock);
                    ScheduleExpiry(clock);
                    entry.Note = $"{days} {unit.ToWire()} days, due {clock.DueDate(calendar, clock.StartedOn):yyyy-MM-dd}";
                    break;
                }

                case ClockAction.Stop:
                    foreach (var clock in targets.Where(c => c.Stop(Calendar(c.Calendar), Today(c), step.Id)))
                    {
                        CancelExpiry(clock);
                    }

                    break;
                case ClockAction.Resume:
                    foreach (var clock in targets.Where(c => c.Resume(Today(c), null)))
                    {
                        ScheduleExpiry(clock);
                    }

                    break;
                case ClockAction.Extend:
                {
                    var days = Days(settings.Days!, "The extension's days");
                    foreach (var clock in targets.Where(c => c.State is ClockState.Running or ClockState.Stopped))
                    {
                        clock.Extend(days);
                        if (clock.State == ClockState.Running)
                        {
                            ScheduleExpiry(clock);
                        }

                        entry.Note = $"+{days} days, due {clock.DueDate(Calendar(clock.Calendar), Today(clock)):yyyy-MM-dd}";
                    }

                    break;
                }

                case ClockAction.Complete:
                    foreach (var clock in targets)
                    {
                        CompleteClock(clock);
                    }

                    break;
            }

            Continue(token, step, StepTypes.Done, entry);
        }

        private void OpenTimer(Token token, StepDefinition step)
        {
            var settings = definition.Settings<TimerSettings>(step.Id);
            AddTimer(BookmarkKind.Timer, step.Id, token.Id, null, DueInstant(settings.Wait, HostCalendarCode()));
            token.State = TokenState.Waiting;
        }

        private void Notify(Token token, StepDefinition step, JournalEntry entry)
        {
            var settings = definition.Settings<NotificationSettings>(step.Id);
            _services.Outbox.Enqueue(instance, new Notification(
                settings.Audience,
                settings.Jurisdiction?.EvaluateString(Session),
                settings.Subject.EvaluateString(Session) ?? step.DisplayName,
                settings.Body?.EvaluateString(Session),
                step.Id));
            Continue(token, step, StepTypes.Done, entry);
        }

        private void Fork(Token token, StepDefinition step, JournalEntry entry)
        {
            var settings = definition.Settings<ForkSettings>(step.Id);
            var branches = step.Outcomes
                .Where(o => !settings.Conditions.TryGetValue(o.Name, out var condition) || Session.EvaluateBoolean(condition))
                .ToList();
            if (branches.Count == 0)
            {
                throw new StepFailedException("No branch of the fork applies.");
            }

            instance.Tokens.Remove(token);
            var frame = $"{instance.NextId("f")}/{branches.Count}";
            foreach (var branch in branches)
            {
                AddToken(branch.To, [.. token.Forks, frame]);
            }

            entry.Outcome = string.Join(",", branches.Select(b => b.Name));
            entry.CompletedAt = _now;
        }

        private void Join(Token token, StepDefinition step, JournalEntry entry)
        {
            var settings = definition.Settings<JoinSettings>(step.Id);
            var frame = token.Forks.LastOrDefault();
            var started = frame is null ? 1 : int.Parse(frame[(frame.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var required = settings.Mode switch
            {
                JoinMode.All => started,
                JoinMode.Any => 1,
                _ => Math.Min(settings.Count, started),
            };
            token.State = TokenState.Joining;
            var arrived = instance.Tokens.Where(t => t.State == TokenState.Joining && t.StepId == step.Id && t.Forks.LastOrDefault() == frame).ToList();
            if (arrived.Count < required)
            {
                entry.Note = $"waiting for {required - arrived.Count} more branch(es)";
                return;
            }

            foreach (var other in arrived.Where(t => t != token))
            {
                instance.Tokens.Remove(other);
            }

            if (frame is not null)
            {
                // Branches of this fork that have not arrived are no longer needed (any / N of M).
                foreach (var straggler in instance.Tokens.Where(t => t != token && t.Forks.Contains(frame)).ToList())
                {
                    CancelToken(straggler, $"join '{step.Id}' completed");
                }

                token.Forks.RemoveAt(token.Forks.Count - 1);
            }

            Continue(token, step, StepTypes.Done, entry);
        }

        private void RecordDecision(Token token, StepDefinition step, JournalEntry entry)
        {
            if (instance.Decision is not null)
            {
                throw new StepFailedException($"A decision ({instance.Decision.Outcome}) was already recorded; a case is decided once.");
            }

            var settings = definition.Settings<DecisionSettings>(step.Id);
            var outcome = settings.Outcome.EvaluateString(Session);
            if (outcome is null || !CaseOutcomes.Decisions.Contains(outcome))
            {
                throw new StepFailedException($"'{Truncate(outcome ?? "null")}' is not a decision outcome.");
            }

            var calendarCode = settings.Calendar?.EvaluateString(Session);
            var calendar = calendarCode is null ? PlainCalendar : Calendar(calendarCode);
            DayUnits.TryParse(settings.ConditionUnit, out var unit);
            var conditions = new List<DecisionCondition>();
            if (settings.Conditions?.Evaluate(Session) is JsonArray list)
            {
                foreach (var item in list.Take(100))
                {
                    var text = DynamicValue.AsString(item?["text"]) ?? DynamicValue.AsString(item);
                    if (string.IsNullOrWhiteSpace(text))
                    {
                        continue;
                    }

                    DateOnly? due = JsonNumbers.TryGetDouble(item?["dueInDays"], out var days) && days is >= 0 and <= BusinessCalendar.MaxDays
                        ? calendar.AddDays(calendar.DateOf(_now), (int)days, unit)
                        : null;
                    conditions.Add(new DecisionCondition(text, due));
                }
            }

            instance.Decision = new CaseDecision(outcome, _now, Actor ?? SystemActor, conditions);
            foreach (var clock in instance.Clocks)
            {
                CompleteClock(clock);
            }

            entry.Note = outcome;
            entry.Actor = Actor ?? SystemActor;
            Continue(token, step, StepTypes.Done, entry);
        }

        private void End(StepDefinition step, JournalEntry entry)
        {
            var settings = definition.Settings<EndSettings>(step.Id);
            if (instance.Decision is null && settings.Outcome?.EvaluateString(Session) is { } outcome)
            {
                if (!CaseOutcomes.Decisions.Contains(outcome))
                {
                    throw new StepFailedException($"'{Truncate(outcome)}' is not a decision outcome.");
                }

                instance.Decision = new CaseDecision(outcome, _now, Actor ?? SystemActor, []);
            }

            foreach (var token in instance.Tokens.ToList())
            {
                CancelToken(token, $"the workflow ended at '{step.Id}'");
            }

            foreach (var bookmark in instance.Bookmarks.ToList())
            {
                CancelBookmark(bookmark);
            }

            foreach (var clock in instance.Clocks)
            {
                CompleteClock(clock);
            }

            instance.Tokens.Clear();
            instance.EndStatus = settings.Status;
            instance.Status = WorkflowStatus.Finished;
            instance.FinishedAt = _now;
            entry.Outcome = settings.Status;
            entry.CompletedAt = _now;
        }

        public void Interrupt(Route route, string why)
        {
            foreach (var token in instance.Tokens.ToList())
            {
                CancelToken(token, why);
            }

            foreach (var bookmark in instance.Bookmarks.Where(b => b.Kind != BookmarkKind.ClockExpiry).ToList())
            {
                CancelBookmark(bookmark);
            }

            foreach (var incident in instance.Incidents.Where(i => i.ResolvedAt is null))
            {
                incident.ResolvedAt = _now;
            }

            AddToken(route.To, []);
            instance.Status = WorkflowStatus.Running;
        }

        private void CancelToken(Token token, string why)
        {
            foreach (var bookmark in instance.Bookmarks.Where(b => b.TokenId == token.Id).ToList())
            {
                CancelBookmark(bookmark);
            }

            foreach (var entry in instance.Journal.Where(e => e.TokenId == token.Id && e.CompletedAt is null))
            {
                entry.Outcome = "cancelled";
                entry.CompletedAt = _now;
                entry.Note = why;
            }

            instance.Tokens.Remove(token);
        }

        private void CancelBookmark(Bookmark bookmark)
        {
            if (instance.FindBookmark(bookmark.Id) is null)
            {
                return;
            }

            switch (bookmark.Kind)
            {
                case BookmarkKind.Task:
                    CloseBookmark(bookmark);
                    _services.Tasks.Closed(instance, bookmark, new TaskClosure(null, Actor, "cancelled"));
                    break;
                case BookmarkKind.InformationRequest:
                    CloseRequest(bookmark, "cancelled");
                    break;
                default:
                    CloseBookmark(bookmark);
                    break;
            }
        }

        /// <summary>Removes a bookmark, its timer and its dependent timers, and remembers it as closed.</summary>
        private void CloseBookmark(Bookmark bookmark)
        {
            instance.Bookmarks.Remove(bookmark);
            instance.ClosedBookmarks.Add(bookmark.Id);
            if (bookmark.IsTimer)
            {
                _services.Timers.Cancel(instance, bookmark);
            }

            foreach (var child in instance.Bookmarks.Where(b => b.ParentId == bookmark.Id && b.IsTimer).ToList())
            {
                CloseBookmark(child);
            }
        }

        private Bookmark AddTimer(BookmarkKind kind, string stepId, string? tokenId, string? parentId, DateTimeOffset dueAt)
        {
            var timer = new Bookmark { Id = NewBookmarkId(), Kind = kind, StepId = stepId, TokenId = tokenId, ParentId = parentId, CreatedAt = _now, DueAt = dueAt };
            instance.Bookmarks.Add(timer);
            _services.Timers.Schedule(instance, timer);
            return timer;
        }

        private void ScheduleExpiry(StatutoryClock clock)
        {
            CancelExpiry(clock);
            if (clock.State != ClockState.Running)
            {
                return;
            }

            var calendar = Calendar(clock.Calendar);
            var due = calendar.EndOf(clock.DueDate(calendar, Today(clock)));
            clock.ExpiryBookmarkId = AddTimer(BookmarkKind.ClockExpiry, clock.StartedBy ?? clock.Name, null, null, due).Id;
        }

        private void CancelExpiry(StatutoryClock clock)
        {
            if (clock.ExpiryBookmarkId is { } id && instance.FindBookmark(id) is { } bookmark)
            {
                CloseBookmark(bookmark);
            }

            clock.ExpiryBookmarkId = null;
        }

        private void CompleteClock(StatutoryClock clock)
        {
            CancelExpiry(clock);
            clock.Complete(Calendar(clock.Calendar), Today(clock));
        }

        private void Wait(Token token, Bookmark bookmark)
        {
            instance.Bookmarks.Add(bookmark);
            token.State = TokenState.Waiting;
        }

        private void Continue(Token token, StepDefinition step, string outcome, JournalEntry entry)
        {
            entry.Outcome = outcome;
            entry.CompletedAt = _now;
            var target = step.Target(outcome) ?? throw new StepFailedException($"Outcome '{outcome}' of step '{step.Id}' leads nowhere.");
            token.StepId = target;
            token.State = TokenState.Ready;
        }

        private void Fault(Token token, JournalEntry? entry, string message)
        {
            token.State = TokenState.Faulted;
            if (entry is not null)
            {
                entry.Outcome = "faulted";
                entry.Note = message;
            }

            instance.Incidents.Add(new Incident(instance.NextId("i"), token.StepId, token.Id, message, _now));
        }

        private JournalEntry OpenEntry(Token token, string stepId) =>
            instance.Journal.LastOrDefault(e => e.TokenId == token.Id && e.StepId == stepId && e.CompletedAt is null)
            ?? throw new InvalidOperationException($"No open journal entry for step '{stepId}'.");

        private void SetVariable(string name, JsonNode? value)
        {
            instance.Variables[name] = value;
            _changed.Add(name);
        }

        private List<string> ExcludedActors(HumanTaskSettings settings)
        {
            if (!settings.FourEyesAll && settings.FourEyesSteps.Count == 0)
            {
                return [];
            }

            return [.. instance.Journal
                .Where(e => e.Actor is { } actor && actor != SystemActor && (settings.FourEyesAll || settings.FourEyesSteps.Contains(e.StepId)))
                .Select(e => e.Actor!)
                .Distinct()];
        }

        private DateTimeOffset DueInstant(DueRule rule, string defaultCalendar)
        {
            var calendar = Calendar(rule.Calendar?.EvaluateString(Session) ?? defaultCalendar);
            var unitText = rule.Unit.EvaluateString(Session);
            if (!DayUnits.TryParse(unitText, out var unit))
            {
                throw new StepFailedException($"'{unitText}' is not a unit of days.");
            }

            return calendar.EndOf(calendar.AddDays(calendar.DateOf(_now), Days(rule.Days, "The period's days"), unit));
        }

        private int Days(DynamicValue value, string what)
        {
            var days = value.EvaluateInt(Session, what);
            return days is < 0 or > BusinessCalendar.MaxDays
                ? throw new StepFailedException($"{what} must be between 0 and {BusinessCalendar.MaxDays}, not {days}.")
                : days;
        }

        private string RequiredString(DynamicValue value, string what) =>
            value.EvaluateString(Session) is { Length: > 0 } text ? text : throw new StepFailedException($"{what} is empty.");

        private BusinessCalendar Calendar(string code) =>
            code.Length == 0 ? PlainCalendar : _services.Calendars.Find(code) ?? throw new StepFailedException($"There is no calendar '{Truncate(code)}'.");

        private string HostCalendarCode() => instance.Clocks.FirstOrDefault()?.Calendar ?? string.Empty;

        private DateOnly Today(StatutoryClock clock) => Calendar(clock.Calendar).DateOf(_now);

        private string NewBookmarkId() => Guid.CreateVersion7(_now).ToString();

        private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
    }

    private sealed class StepFailedException(string message) : Exception(message);
}
