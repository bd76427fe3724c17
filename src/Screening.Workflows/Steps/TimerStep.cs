using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

/// <summary><c>timer</c>: waits for a period.</summary>
public sealed record TimerSettings(DueRule Wait) : StepSettings;

/// <summary>Waits for a period (on the case's calendar unless it names one), then continues.</summary>
public sealed class TimerStep : StepType<TimerSettings>
{
    public override string Type => "timer";

    public override string Summary => "waits a period (`wait`)";

    public override IReadOnlyList<string> SettingNames => ["wait"];

    protected override TimerSettings? ReadSettings(SettingsReader reader) =>
        reader.Due("wait", required: true) is { } wait ? new TimerSettings(wait) : null;

    protected override void Execute(StepContext context, TimerSettings settings)
    {
        context.AddTimer(BookmarkKind.Timer, context.DueInstant(settings.Wait, context.HostCalendarCode()), tokenId: context.Token!.Id);
        context.Token.State = TokenState.Waiting;
    }

    public override RunResult? Fire(StepContext context, Bookmark timer)
    {
        if (timer.Kind != BookmarkKind.Timer)
        {
            return base.Fire(context, timer);
        }

        context.CloseBookmark(timer, fired: true);
        context.For(timer).Continue(StepTypes.Done);
        return null;
    }
}
