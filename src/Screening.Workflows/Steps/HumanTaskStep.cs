using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary>What happens when a task is overdue.</summary>
/// <param name="NotifyRoles">Roles (of the task's jurisdiction) told that the task is overdue.</param>
/// <param name="ReassignRole">A role the task moves to, or null.</param>
public sealed record EscalationRule(IReadOnlyList<string> NotifyRoles, string? ReassignRole);

/// <summary>A task closes itself with an outcome after a period (silence counts as that outcome).</summary>
public sealed record TimeoutRule(DueRule After, string Outcome);

/// <summary><c>human-task</c>: work for a role in a jurisdiction.</summary>
public sealed record HumanTaskSettings(
    LocalizedValue Title,
    DynamicValue Role,
    DynamicValue Jurisdiction,
    LocalizedValue? Description,
    DueRule? Due,
    DueRule? FollowUp,
    EscalationRule? Escalation,
    TimeoutRule? Timeout,
    bool FourEyesAll,
    IReadOnlyList<string> FourEyesSteps,
    string? InformationRequestStopsClock,
    bool AllowsInformationRequests,
    string ResultVariable) : StepSettings
{
    /// <summary>The clock whose end completes the task (its name, whose, and the outcome), when the task has one.</summary>
    public (string Clock, DynamicValue? Jurisdiction, string Outcome)? ClockExpiry { get; init; }

    /// <summary>What an outcome cannot be given without: <c>comment</c> (the reasons) and <c>conditions</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Requires { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>
/// Work for a role in a jurisdiction: a task the branch waits on until an official completes it with one of
/// the step's outcomes (the result goes to a variable), with a due date, a follow-up date, an escalation when
/// overdue, a timeout that takes silence as an outcome, four-eyes exclusion of earlier actors, and requests for
/// information to the applicant sent from the open task.
/// </summary>
public sealed class HumanTaskStep : StepType<HumanTaskSettings>
{
    public override string Type => "human-task";

    public override string Summary => "work for a `role` in a `jurisdiction`; `due`, `followUp`, `escalation` when overdue, `timeout` (silence counts as an outcome), `fourEyes`, `informationRequests.stopsClock`";

    // A task with no outcome is reported by its settings reader.
    public override StepOutcomes Outcomes => StepOutcomes.Declared(0);

    public override IReadOnlyList<string> SettingNames =>
        ["title", "description", "role", "jurisdiction", "due", "followUp", "escalation", "timeout", "fourEyes", "informationRequests", "result", "clockExpiry", "requires"];

    protected override HumanTaskSettings? ReadSettings(SettingsReader reader)
    {
        var step = reader.Step;
        var role = reader.Value("role", required: true);
        reader.CheckWord(role, reader.Vocabulary.Roles, $"{reader.SettingsPath}.role", "role");
        var jurisdiction = reader.Value("jurisdiction", required: true);
        // Without a title of its own, a task is called by its step's name, in each language the name is given in.
        var title = reader.Text("title", required: false) ?? (step.Names is { } names ? LocalizedValue.Of(names) : LocalizedValue.Of(step.DisplayName));

        foreach (var outcome in step.Outcomes.Where(o => !step.OutcomeLabels.ContainsKey(o.Name)))
        {
            reader.Warning($"{step.Path}.labels.{outcome.Name}", ProblemCodes.MissingTranslation, $"Outcome '{outcome.Name}' of task '{step.Id}' has no label: readers see its name.");
        }

        var timeout = ReadTimeout(reader);
        var escalation = ReadEscalation(reader);
        var (fourEyesAll, fourEyesSteps) = ReadFourEyes(reader);

        string? stopsClock = null;
        var allowsRequests = false;
        if (reader.Settings["informationRequests"] is JsonObject ir)
        {
            allowsRequests = true;
            stopsClock = ir["stopsClock"] is JsonValue sv && sv.TryGetValue<string>(out var c) ? c : null;
        }

        if (step.Outcomes.Count == 0)
        {
            reader.ProblemAt($"{step.Path}.outcomes", ProblemCodes.MissingConnection, $"Task '{step.Id}' needs at least one outcome.");
        }

        if (role is null || jurisdiction is null)
        {
            return null;
        }

        return new HumanTaskSettings(title, role, jurisdiction, reader.Text("description", required: false), reader.Due("due", false), reader.Due("followUp", false),
            escalation, timeout, fourEyesAll, fourEyesSteps, stopsClock, allowsRequests, reader.OptionalString("result") ?? step.Id)
        {
            ClockExpiry = ReadClockExpiry(reader),
            Requires = ReadRequires(reader),
        };
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadRequires(SettingsReader reader)
    {
        var requires = new Dictionary<string, IReadOnlyList<string>>();
        if (reader.Settings["requires"] is null)
        {
            return requires;
        }

        if (reader.Settings["requires"] is not JsonObject byOutcome)
        {
            reader.Problem("requires", ProblemCodes.InvalidField, $"'requires' of task '{reader.Step.Id}' must be an object of outcomes and what each needs: \"comment\", \"conditions\".");
            return requires;
        }

        foreach (var (outcome, needs) in byOutcome)
        {
            var path = $"{reader.SettingsPath}.requires.{outcome}";
            var list = needs is JsonArray array ? array.Select(n => DynamicValue.AsString(n)).ToList() : [];
            if (!reader.Step.HasOutcome(outcome))
            {
                reader.ProblemAt(path, ProblemCodes.DanglingConnection, $"Task '{reader.Step.Id}' has no outcome '{outcome}' to require anything of.");
            }
            else if (list.Count == 0 || list.Any(n => n is not ("comment" or "conditions")))
            {
                reader.ProblemAt(path, ProblemCodes.InvalidField, $"What outcome '{outcome}' of task '{reader.Step.Id}' needs is a list of \"comment\" and \"conditions\".");
            }
            else
            {
                requires[outcome] = [.. list.OfType<string>()];
            }
        }

        return requires;
    }

    private static (string, DynamicValue?, string)? ReadClockExpiry(SettingsReader reader)
    {
        if (reader.Settings["clockExpiry"] is not System.Text.Json.Nodes.JsonObject rule)
        {
            if (reader.Settings["clockExpiry"] is not null)
            {
                reader.Problem("clockExpiry", ProblemCodes.InvalidField, $"The clock expiry of task '{reader.Step.Id}' must be an object with 'clock' and 'outcome'.");
            }

            return null;
        }

        var clock = rule["clock"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : null;
        var outcome = rule["outcome"] is JsonValue ov && ov.TryGetValue<string>(out var o) ? o : null;
        if (clock is null || outcome is null)
        {
            reader.Problem("clockExpiry", ProblemCodes.MissingField, $"The clock expiry of task '{reader.Step.Id}' needs the 'clock' it waits on and the 'outcome' it completes with.");
            return null;
        }

        if (!reader.Step.HasOutcome(outcome))
        {
            reader.Problem("clockExpiry.outcome", ProblemCodes.MissingConnection, $"The clock expiry of task '{reader.Step.Id}' completes with '{outcome}', which is not one of the task's outcomes.");
            return null;
        }

        return (clock, rule["jurisdiction"] is { } j ? reader.ValueAt(j, $"{reader.SettingsPath}.clockExpiry.jurisdiction") : null, outcome);
    }

    protected override void Execute(StepContext context, HumanTaskSettings settings)
    {
        var step = context.Step;
        var jurisdiction = context.RequiredString(settings.Jurisdiction, "The task's jurisdiction");
        var role = context.RequiredString(settings.Role, "The task's role");
        var dueAt = settings.Due is null ? (DateTimeOffset?)null : context.DueInstant(settings.Due, jurisdiction);
        ClockExpiryRule? closesOnExpiry = null;
        if (settings.ClockExpiry is { } expiry)
        {
            closesOnExpiry = new ClockExpiryRule(expiry.Clock, context.EvaluateString(expiry.Jurisdiction) ?? jurisdiction, expiry.Outcome);
            if (context.Clocks(closesOnExpiry.Clock, closesOnExpiry.Jurisdiction).Any(c => c.State == Clocks.ClockState.Expired))
            {
                // The period already ended while the branch was elsewhere: the task is moot, and its outcome is the law's.
                context.SetVariable(settings.ResultVariable, new JsonObject { ["outcome"] = expiry.Outcome, ["actor"] = WorkflowRunner.SystemActor, ["reason"] = "clock-expiry", ["jurisdiction"] = jurisdiction });
                context.ActedBy(WorkflowRunner.SystemActor);
                context.Note($"clock '{closesOnExpiry.Clock}' ({closesOnExpiry.Jurisdiction}) had already run out: '{expiry.Outcome}'");
                context.Continue(expiry.Outcome);
                return;
            }
        }

        var titles = context.Evaluate(settings.Title);
        var descriptions = context.Evaluate(settings.Description);
        var task = new Bookmark
        {
            Id = context.NewBookmarkId(),
            Kind = BookmarkKind.Task,
            StepId = step.Id,
            TokenId = context.Token!.Id,
            CreatedAt = context.Now,
            DueAt = dueAt,
            Task = new HumanTask
            {
                Title = titles?.En ?? step.DisplayName,
                Titles = titles,
                Description = descriptions?.En,
                Descriptions = descriptions,
                Role = role,
                Jurisdiction = jurisdiction,
                Outcomes = [.. step.Outcomes.Select(o => o.Name)],
                OutcomeLabels = step.OutcomeLabels.Count == 0 ? null : new Dictionary<string, LocalizedText>(step.OutcomeLabels),
                DueAt = dueAt,
                FollowUpAt = settings.FollowUp is null ? null : context.DueInstant(settings.FollowUp, jurisdiction),
                ExcludedActors = ExcludedActors(context.Instance, settings),
                AllowsInformationRequests = settings.AllowsInformationRequests,
                ClosesOnExpiry = closesOnExpiry,
                Requires = settings.Requires.Count == 0 ? null : settings.Requires.ToDictionary(r => r.Key, r => r.Value.ToList()),
            },
        };
        context.OpenTask(task);
        if (settings.Timeout is { } timeout)
        {
            context.AddTimer(BookmarkKind.TaskTimeout, context.DueInstant(timeout.After, jurisdiction), parentId: task.Id);
        }

        if (settings.Escalation is not null && dueAt is { } due)
        {
            context.AddTimer(BookmarkKind.TaskEscalation, due, parentId: task.Id);
        }
    }

    public override RunResult? Resume(StepContext context, Bookmark bookmark, ResumeInput input) => bookmark.Kind switch
    {
        BookmarkKind.Task => Complete(context, bookmark, input, TaskCloseReason.Completed),
        BookmarkKind.InformationRequest => AnswerSentRequest(context, bookmark, input),
        _ => base.Resume(context, bookmark, input),
    };

    public override bool ClockExpired(StepContext context, Bookmark bookmark, Clocks.StatutoryClock clock)
    {
        if (bookmark.Task?.ClosesOnExpiry is not { } rule || rule.Clock != clock.Name || rule.Jurisdiction != clock.Jurisdiction)
        {
            return false;
        }

        Complete(context, bookmark, new ResumeInput(WorkflowRunner.SystemActor, rule.Outcome), TaskCloseReason.PeriodEnded);
        context.Note($"clock '{clock.Name}' ({clock.Jurisdiction}) ran out: '{rule.Outcome}'");
        return true;
    }

    public override RunResult? Fire(StepContext context, Bookmark timer)
    {
        var settings = context.Settings<HumanTaskSettings>();
        var parent = context.Instance.FindBookmark(timer.ParentId!)!;
        switch (timer.Kind)
        {
            case BookmarkKind.TaskTimeout:
                context.CloseBookmark(timer, fired: true);
                return Complete(context.For(parent), parent, new ResumeInput(WorkflowRunner.SystemActor, settings.Timeout!.Outcome), TaskCloseReason.Timeout);
            case BookmarkKind.TaskEscalation:
                context.CloseBookmark(timer, fired: true);
                Escalate(context.For(parent), parent, settings.Escalation!);
                return null;
            case BookmarkKind.RequestExpiry:
                // A request sent from a task has no branch to move on: the applicant is reminded instead.
                context.CloseBookmark(timer, fired: true);
                context.NotifyRequestOverdue(parent);
                return null;
            default:
                return base.Fire(context, timer);
        }
    }

    /// <summary>Sends a request for information to the applicant from an open task; the named clock stops where the step says so.</summary>
    public static RunResult SendRequest(StepContext context, Bookmark task, string question, int dueInDays)
    {
        var settings = context.Settings<HumanTaskSettings>();
        if (task.Task is not { AllowsInformationRequests: true })
        {
            return context.Refuse(Refusal.NotAllowed, "This step does not send requests for information.");
        }

        if (dueInDays is < 1 or > 365)
        {
            return context.Refuse(Refusal.InvalidInput, "A request must be due in 1 to 365 days.");
        }

        var calendar = context.Calendar(task.Task.Jurisdiction);
        var dueAt = calendar.EndOf(calendar.AddDays(calendar.DateOf(context.Now), dueInDays, DayUnit.Calendar));
        var request = new Bookmark
        {
            Id = context.NewBookmarkId(),
            Kind = BookmarkKind.InformationRequest,
            StepId = task.StepId,
            ParentId = task.Id,
            CreatedAt = context.Now,
            DueAt = dueAt,
            // A request stops only the requesting government's clock, never the other's in a joint review.
            Request = new InformationRequest
            {
                Question = question,
                DueAt = dueAt,
                RequestedBy = context.Actor,
                StopsClock = settings.InformationRequestStopsClock,
                StopsClockOf = task.Task.Jurisdiction,
            },
        };
        context.OpenRequest(request);
        context.RecordEvent(JournalTypes.InformationRequest, "requested", request.Request.StopsClock is { } c
            ? request.Request.StoppedClocks > 0 ? $"clock '{c}' stopped until answered" : $"clock '{c}' runs on: its period does not stop for this request"
            : null);
        return new RunResult { Status = ResumeStatus.Resumed, BookmarkId = request.Id, Instance = context.Instance };
    }

    private static RunResult? Complete(StepContext context, Bookmark task, ResumeInput input, TaskCloseReason reason)
    {
        var work = task.Task!;
        if (input.Outcome is null || !work.Outcomes.Contains(input.Outcome))
        {
            return context.Refuse(Refusal.InvalidInput, $"'{input.Outcome}' is not an outcome of this task; use one of: {string.Join(", ", work.Outcomes)}.");
        }

        var settings = context.Settings<HumanTaskSettings>();
        if (input.Actor != WorkflowRunner.SystemActor && settings.Requires.TryGetValue(input.Outcome, out var needs))
        {
            if (needs.Contains("conditions") && input.Data?["conditions"] is not JsonArray { Count: > 0 })
            {
                return context.Refuse(Refusal.InvalidInput, $"'{input.Outcome}' needs at least one condition, each with its due date.", "conditions");
            }

            if (needs.Contains("comment") && string.IsNullOrWhiteSpace(input.Comment))
            {
                return context.Refuse(Refusal.InvalidInput, $"'{input.Outcome}' needs its reasons in the comment.", "comment");
            }
        }

        if (input.Actor != WorkflowRunner.SystemActor && (work.ExcludedActors.Contains(input.Actor) || ExcludedActors(context.Instance, settings).Contains(input.Actor)))
        {
            return context.Refuse(Refusal.FourEyes, "Four eyes: you acted earlier on this case, so another official must complete this task.");
        }

        context.CloseTask(task, input.Outcome, reason, input.Comment);
        var result = new JsonObject
        {
            ["outcome"] = input.Outcome,
            ["actor"] = input.Actor,
            ["comment"] = input.Comment,
            ["completedAt"] = context.Now.UtcDateTime.ToString("O"),
            ["jurisdiction"] = work.Jurisdiction,
            ["reason"] = reason switch
            {
                TaskCloseReason.Timeout => "timeout",
                TaskCloseReason.PeriodEnded => "period-ended",
                _ => "completed",
            },
        };
        if (input.EffectiveOn is { } effectiveOn)
        {
            result["effectiveOn"] = effectiveOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (input.Data is JsonObject data)
        {
            foreach (var (key, value) in data)
            {
                result[key] = value?.DeepClone();
            }
        }

        context.SetVariable(settings.ResultVariable, result);
        context.ActedBy(input.Actor);
        if (reason == TaskCloseReason.Timeout)
        {
            context.Note($"no answer within the period: taken as '{input.Outcome}'");
        }

        context.Continue(input.Outcome);
        return null;
    }

    private static void Escalate(StepContext context, Bookmark task, EscalationRule escalation)
    {
        var work = task.Task!;
        work.Escalated = true;
        if (escalation.ReassignRole is { } role)
        {
            work.Role = role;
        }

        foreach (var notify in escalation.NotifyRoles)
        {
            context.Notify(new Notification(notify, work.Jurisdiction, null, null, task.StepId)
            {
                Kind = NotificationKinds.TaskOverdue,
                Data = new() { ["title"] = work.Title, ["dueDate"] = work.DueAt?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty },
            });
        }

        context.Escalated(task);
        context.RecordEvent(JournalTypes.Escalation, "escalated");
    }

    private static RunResult? AnswerSentRequest(StepContext context, Bookmark request, ResumeInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Comment))
        {
            return context.Refuse(Refusal.InvalidInput, "An answer is required.");
        }

        var answers = context.Instance.Variables["informationAnswers"] as JsonArray ?? [];
        answers.Add(context.AnswerRequest(request, input));
        context.SetVariable("informationAnswers", answers);
        context.RecordEvent(JournalTypes.InformationRequest, "answered");
        return null;
    }

    private static List<string> ExcludedActors(WorkflowInstance instance, HumanTaskSettings settings)
    {
        if (!settings.FourEyesAll && settings.FourEyesSteps.Count == 0)
        {
            return [];
        }

        return [.. instance.Journal
            .Where(e => e.Actor is { } actor && actor != WorkflowRunner.SystemActor && (settings.FourEyesAll || settings.FourEyesSteps.Contains(e.StepId)))
            .Select(e => e.Actor!)
            .Distinct()];
    }

    private static TimeoutRule? ReadTimeout(SettingsReader reader)
    {
        var step = reader.Step;
        if (reader.Settings["timeout"] is not JsonObject t)
        {
            if (reader.Settings["timeout"] is not null)
            {
                reader.Problem("timeout", ProblemCodes.InvalidField, $"The timeout of task '{step.Id}' must be an object with days, unit and outcome.");
            }

            return null;
        }

        var after = reader.DueAt(t, $"{reader.SettingsPath}.timeout");
        var outcome = t["outcome"] is JsonValue ov && ov.TryGetValue<string>(out var o) ? o : null;
        if (outcome is null)
        {
            reader.Problem("timeout.outcome", ProblemCodes.MissingField, $"The timeout of task '{step.Id}' must name the outcome it completes with.");
        }
        else if (!step.HasOutcome(outcome))
        {
            reader.Problem("timeout.outcome", ProblemCodes.MissingConnection, $"The timeout of task '{step.Id}' completes with '{outcome}', which is not one of the task's outcomes.");
        }

        return after is not null && outcome is not null ? new TimeoutRule(after, outcome) : null;
    }

    private static EscalationRule? ReadEscalation(SettingsReader reader)
    {
        var step = reader.Step;
        EscalationRule? escalation = null;
        if (reader.Settings["escalation"] is JsonObject e)
        {
            var notify = e["notify"] is JsonArray roles ? roles.Select(r => DynamicValue.AsString(r)).OfType<string>().ToList() : [];
            var reassign = e["reassignTo"] is JsonValue rv && rv.TryGetValue<string>(out var r) ? r : null;
            if (notify.Count == 0 && reassign is null)
            {
                reader.Problem("escalation", ProblemCodes.MissingField, $"The escalation of task '{step.Id}' must notify roles or reassign the task.");
            }

            for (var i = 0; i < notify.Count; i++)
            {
                reader.CheckWord(DynamicValue.Of(JsonValue.Create(notify[i])), reader.Vocabulary.Roles, $"{reader.SettingsPath}.escalation.notify[{i}]", "role");
            }

            if (reassign is not null)
            {
                reader.CheckWord(DynamicValue.Of(JsonValue.Create(reassign)), reader.Vocabulary.Roles, $"{reader.SettingsPath}.escalation.reassignTo", "role");
            }

            escalation = new EscalationRule(notify, reassign);
        }

        if (escalation is not null && reader.Settings["due"] is null)
        {
            reader.Problem("escalation", ProblemCodes.MissingField, $"Task '{step.Id}' escalates when overdue, so it needs a 'due' rule.");
        }

        return escalation;
    }

    private static (bool All, List<string> Steps) ReadFourEyes(SettingsReader reader)
    {
        switch (reader.Settings["fourEyes"])
        {
            case null:
                return (false, []);
            case JsonValue fv when fv.TryGetValue<bool>(out var all):
                return (all, []);
            case JsonArray steps:
                return (false, [.. steps.Select(s => DynamicValue.AsString(s)).OfType<string>()]);
            default:
                reader.Problem("fourEyes", ProblemCodes.InvalidField, $"'fourEyes' of task '{reader.Step.Id}' must be true (exclude every earlier actor) or a list of step ids.");
                return (false, []);
        }
    }
}
