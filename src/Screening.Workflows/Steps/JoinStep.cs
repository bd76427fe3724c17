using Screening.Workflows.Definitions;
using Screening.Workflows.Expressions;
using Screening.Workflows.Runtime;

namespace Screening.Workflows.Steps;

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

/// <summary>Waits for all started branches of the innermost fork, any one, or N of them; the rest are cancelled.</summary>
public sealed class JoinStep : StepType<JoinSettings>
{
    public override string Type => "join";

    public override string Summary => "waits for `all` started branches, `any`, or `count` of them; the rest are cancelled";

    public override IReadOnlyList<string> SettingNames => ["mode", "count"];

    protected override JoinSettings ReadSettings(SettingsReader reader)
    {
        var modeText = reader.OptionalString("mode") ?? "all";
        JoinMode? mode = modeText switch
        {
            "all" => JoinMode.All,
            "any" => JoinMode.Any,
            "count" => JoinMode.Count,
            _ => null,
        };
        if (mode is null)
        {
            reader.Problem("mode", ProblemCodes.InvalidField, $"Join '{reader.Step.Id}' has mode '{modeText}'; use 'all', 'any' or 'count'.");
            mode = JoinMode.All;
        }

        var count = mode == JoinMode.Any ? 1 : 0;
        if (mode == JoinMode.Count)
        {
            if (JsonNumbers.TryGetInt(reader.Settings["count"], out var n) && n >= 1)
            {
                count = n;
            }
            else
            {
                reader.Problem("count", ProblemCodes.MissingField, $"Join '{reader.Step.Id}' in 'count' mode needs a 'count' of 1 or more.");
                count = 1;
            }
        }

        return new JoinSettings(mode.Value, count);
    }

    protected override void Execute(StepContext context, JoinSettings settings)
    {
        var token = context.Token!;
        var frame = token.Forks.LastOrDefault();
        var started = frame?.Branches ?? 1;
        var required = settings.Mode switch
        {
            JoinMode.All => started,
            JoinMode.Any => 1,
            _ => Math.Min(settings.Count, started),
        };
        token.State = TokenState.Joining;
        var arrived = context.Instance.Tokens.Where(t => t.State == TokenState.Joining && t.StepId == context.Step.Id && t.Forks.LastOrDefault() == frame).ToList();
        if (arrived.Count < required)
        {
            context.Note($"waiting for {required - arrived.Count} more branch(es)");
            return;
        }

        foreach (var other in arrived.Where(t => t != token))
        {
            context.RemoveBranch(other);
        }

        if (frame is not null)
        {
            // Branches of this fork that have not arrived are no longer needed (any / N of M).
            foreach (var straggler in context.Instance.Tokens.Where(t => t != token && t.Forks.Contains(frame)).ToList())
            {
                context.CancelBranch(straggler, $"join '{context.Step.Id}' completed");
            }

            token.Forks.RemoveAt(token.Forks.Count - 1);
        }

        context.Continue(StepTypes.Done);
    }
}
