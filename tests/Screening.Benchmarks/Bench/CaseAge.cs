using System.Diagnostics;
using System.Text.Json.Nodes;
using Screening.Web.Cases;
using Screening.Web.Identity;
using Screening.Web.Reviews;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P6: what a command costs as its case ages. One long-running case after another, each filed, certified and
/// taken into host review, then kept there by rounds of three commands — a request for information, the
/// applicant's answer, an official's note — until it has had <see cref="Commands"/> commands. Commands run one at
/// a time (no queueing for the writer), and the cost at a position is the round of three it begins, so each
/// position is the same mix of commands. Cases run one after the other, each position's cost the median over them.
/// </summary>
public sealed class CaseAge(InProcessHost host)
{
    /// <summary>The case's commands before the first round: filing, claim and certify intake, claim host review.</summary>
    public const int Before = 4;

    public const int Commands = 212;

    /// <param name="Early">Median milliseconds of the round that begins at the 5th command.</param>
    /// <param name="Late">Median milliseconds of the round that begins at the 200th command.</param>
    /// <param name="Curve">Median milliseconds per round at a few positions, for the report.</param>
    public sealed record Result(int Cases, double Early, double Late, IReadOnlyList<(int Position, double Milliseconds)> Curve)
    {
        public double Ratio => Late / Early;
    }

    public async Task<Result> RunAsync(int cases)
    {
        var applicant = await host.UserAsync("applicant@northern-lights.example");
        var officer = await host.UserAsync("officer1.mx@screening.example");
        var filing = EngineThroughput.BilateralFiling();
        _ = await OneCaseAsync(applicant, officer, filing);

        var rounds = new List<double[]>();
        for (var i = 0; i < cases; i++)
        {
            rounds.Add(await OneCaseAsync(applicant, officer, filing));
        }

        double Median(int position)
        {
            var round = (position - Before - 1) / 3;
            return Stats.Percentile(rounds.Select(r => r[round]), 50);
        }

        int[] positions = [5, 20, 50, 100, 150, 200];
        return new Result(cases, Median(5), Median(200), [.. positions.Select(p => (p, Median(p)))]);
    }

    /// <summary>Runs one case to <see cref="Commands"/> commands; milliseconds per round of three, in order.</summary>
    private async Task<double[]> OneCaseAsync(CurrentUser applicant, CurrentUser officer, JsonNode filing)
    {
        var submitted = await host.SendAsync(new SubmitCase(applicant.Id, filing.DeepClone(), null));
        var intake = await TaskAsync(officer, submitted.Id, "intake-review");
        await host.SendAsync(new ClaimTask(officer, intake));
        await host.SendAsync(new CompleteTask(officer, intake, new CompleteBody("certify", "Complete.", [])));
        var review = await TaskAsync(officer, submitted.Id, "host-review");
        await host.SendAsync(new ClaimTask(officer, review));

        var rounds = new double[(Commands - Before) / 3];
        var watch = new Stopwatch();
        for (var round = 0; round < rounds.Length; round++)
        {
            watch.Restart();
            var asked = await host.SendAsync(new RequestInformation(officer, review, new InformationBody($"Question {round}: give the register as of this date.", 30)));
            await host.SendAsync(new AnswerRequest(applicant, submitted.Id, asked.RequestId, $"Answer {round}: the register is attached."));
            await host.SendAsync(new AddNote(officer, submitted.Id, new NoteBody($"Note {round}: answer read.", false)));
            rounds[round] = watch.Elapsed.TotalMilliseconds;
        }

        return rounds;
    }

    private async Task<Guid> TaskAsync(CurrentUser official, Guid caseId, string step) =>
        ((await host.SendAsync(new ListTasks(official, "available", caseId, 1, 50))).FirstOrDefault(t => t.Step == step)
            ?? throw new InvalidOperationException($"No '{step}' task for case {caseId}.")).Id;
}
