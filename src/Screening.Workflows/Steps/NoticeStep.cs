using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>notice</c>: records a legal notice (its kind, jurisdiction, legal basis and effective date).</summary>
public sealed record NoticeSettings(DynamicValue Kind, DynamicValue? Jurisdiction, DynamicValue? Basis, DynamicValue? EffectiveOn, LocalizedValue? Title) : StepSettings
{
    /// <summary>A variable that receives the notice (its kind, basis and effective date), for periods counted from it.</summary>
    public string? ResultVariable { get; init; }
}

/// <summary>
/// Records a legal notice on the case — a notice sent, an order made — with its legal basis and the day it took
/// effect: the <c>effectiveOn</c> setting when it gives a date, else the day the official gave when completing the
/// task that led here, else today on the jurisdiction's calendar. Periods counted from the notice count from that day.
/// </summary>
public sealed class NoticeStep : StepType<NoticeSettings>
{
    public override string Type => "notice";

    public override string Summary => "records a legal notice: its `kind`, `jurisdiction`, legal `basis` and `effectiveOn` date (default: the day the official gave, else today)";

    public override IReadOnlyList<string> SettingNames => ["kind", "jurisdiction", "basis", "effectiveOn", "title", "result"];

    protected override NoticeSettings? ReadSettings(SettingsReader reader)
    {
        var kind = reader.Value("kind", required: true);
        var effectiveOn = reader.Value("effectiveOn", required: false);
        if (effectiveOn?.Literal is { } literal && !DateOnly.TryParseExact(DynamicValue.AsString(literal), "yyyy-MM-dd", out _))
        {
            reader.Problem("effectiveOn", ProblemCodes.InvalidField, $"Notice '{reader.Step.Id}': 'effectiveOn' must be a date (yyyy-MM-dd) or an '=expression' giving one.");
        }

        return kind is null ? null : new NoticeSettings(kind, reader.Value("jurisdiction", false), reader.Value("basis", false), effectiveOn, reader.Text("title", false))
        {
            ResultVariable = reader.OptionalString("result"),
        };
    }

    protected override void Execute(StepContext context, NoticeSettings settings)
    {
        var kind = context.RequiredString(settings.Kind, "The notice's kind");
        var jurisdiction = context.EvaluateString(settings.Jurisdiction);
        var calendar = context.Calendar(jurisdiction ?? context.HostCalendarCode());
        var today = calendar.DateOf(context.Now);
        // An instant is the notice's day where the jurisdiction is, as a clock's dates are.
        var effectiveOn = ClockStep.Date(context, settings.EffectiveOn, calendar, "The notice's effective date") ?? context.EffectiveOn ?? today;
        if (effectiveOn > today)
        {
            throw StepContext.Fail($"The notice cannot take effect on {effectiveOn:yyyy-MM-dd}, a day still to come.");
        }

        var notice = new LegalNotice(kind, jurisdiction, context.EvaluateString(settings.Basis), effectiveOn, context.Now, context.Actor, context.Step.Id)
        {
            Title = context.Evaluate(settings.Title),
        };
        context.Instance.Notices.Add(notice);
        if (settings.ResultVariable is { } variable)
        {
            context.SetVariable(variable, new System.Text.Json.Nodes.JsonObject
            {
                ["kind"] = kind,
                ["jurisdiction"] = jurisdiction,
                ["basis"] = notice.Basis,
                ["effectiveOn"] = effectiveOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        context.Emit(new NoticeRecorded(notice));
        context.Note($"{kind} effective {effectiveOn:yyyy-MM-dd}" + (notice.Basis is { } basis ? $" ({basis})" : string.Empty));
        context.ActedBy(context.Actor);
        context.Continue(StepTypes.Done);
    }
}
