using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>request-information</c>: a question to the applicant, optionally stopping a clock until answered.</summary>
public sealed record RequestInformationSettings(DynamicValue Question, DueRule? Due, string? StopsClock, string ResultVariable) : StepSettings
{
    /// <summary>Whose clock it stops; every jurisdiction's when absent.</summary>
    public DynamicValue? ClockJurisdiction { get; init; }
}

/// <summary>Asks the applicant a question; the branch waits for the answer (<c>answered</c>) or the due date (<c>expired</c>).</summary>
public sealed class RequestInformationStep : StepType<RequestInformationSettings>
{
    public override string Type => "request-information";

    public override string Summary => "a question to the applicant, optionally stopping a clock";

    public override StepOutcomes Outcomes { get; } = new(["answered", "expired"], ["answered"]);

    public override IReadOnlyList<string> SettingNames => ["question", "due", "stopsClock", "clockJurisdiction", "result"];

    protected override RequestInformationSettings ReadSettings(SettingsReader reader) => new(
        reader.Value("question", required: true) ?? DynamicValue.Of((System.Text.Json.Nodes.JsonNode?)null),
        reader.Due("due", required: false),
        reader.OptionalString("stopsClock"),
        reader.OptionalString("result") ?? "information")
    {
        ClockJurisdiction = reader.Value("clockJurisdiction", false),
    };

    protected override void Execute(StepContext context, RequestInformationSettings settings)
    {
        var question = context.EvaluateString(settings.Question);
        if (string.IsNullOrWhiteSpace(question))
        {
            throw StepContext.Fail("The request has no question.");
        }

        var dueAt = settings.Due is null ? (DateTimeOffset?)null
            : context.DueInstant(settings.Due, settings.Due.Calendar is null ? context.HostCalendarCode() : string.Empty);
        context.OpenRequest(new Bookmark
        {
            Id = context.NewBookmarkId(),
            Kind = BookmarkKind.InformationRequest,
            StepId = context.Step.Id,
            TokenId = context.Token!.Id,
            CreatedAt = context.Now,
            DueAt = dueAt,
            Request = new InformationRequest
            {
                Question = question,
                DueAt = dueAt,
                RequestedBy = context.Actor,
                StopsClock = settings.StopsClock,
                StopsClockOf = context.EvaluateString(settings.ClockJurisdiction),
            },
        });
    }

    public override RunResult? Resume(StepContext context, Bookmark bookmark, ResumeInput input)
    {
        if (string.IsNullOrWhiteSpace(input.Comment))
        {
            return context.Refuse(Refusal.InvalidInput, "An answer is required.");
        }

        context.SetVariable(context.Settings<RequestInformationSettings>().ResultVariable, context.AnswerRequest(bookmark, input));
        context.ActedBy(input.Actor);
        context.Continue("answered");
        return null;
    }

    public override RunResult? Fire(StepContext context, Bookmark timer)
    {
        if (timer.Kind != BookmarkKind.RequestExpiry)
        {
            return base.Fire(context, timer);
        }

        context.CloseBookmark(timer, fired: true);
        var request = context.Instance.FindBookmark(timer.ParentId!)!;
        if (!context.Step.HasOutcome("expired"))
        {
            context.NotifyRequestOverdue(request);
            return null;
        }

        var waiting = context.For(request);
        waiting.ExpireRequest(request);
        waiting.ActedBy(WorkflowRunner.SystemActor);
        waiting.Note("no answer came in time");
        waiting.Continue("expired");
        return null;
    }
}
