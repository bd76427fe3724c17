using System.Diagnostics;
using System.Text.Json.Nodes;
using Screening.Web.Definitions;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P8: what the definition editor does when an administrator changes one word of the shipped pipeline and saves:
/// validate the document, then save it as the draft (validated again, stored, audited). The baseline is reading
/// the same document back, in the same run.
/// </summary>
public sealed class DraftSaves(InProcessHost host)
{
    public sealed record Result(int Saves, int Bytes, double P50, double P95, double ReadP95);

    public async Task<Result> RunAsync(int saves)
    {
        var admin = await host.UserAsync("admin@screening.example");
        var published = await host.SendAsync(new GetDefinition("bilateral-screening", null));
        published.AsObject().Remove("status");
        var timings = new List<double>();
        var reads = new List<double>();
        var bytes = 0;
        for (var i = 0; i < saves + 5; i++)
        {
            var edited = published.DeepClone().AsObject();
            edited["description"] = $"{published["description"]} (edit {i})";
            var json = edited.ToJsonString(DefinitionJson.Indented);
            bytes = json.Length;

            var clock = Stopwatch.StartNew();
            var validation = await host.SendAsync(new ValidateDefinition(json));
            if (!validation.Valid)
            {
                throw new InvalidOperationException("The shipped pipeline did not validate: " + string.Join("; ", validation.Problems.Select(p => p.Message)));
            }

            await host.SendAsync(new SaveDraft(admin.Id, "bilateral-screening", JsonNode.Parse(json)));
            var saved = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            await host.SendAsync(new GetDefinition("bilateral-screening", null));
            var read = clock.Elapsed.TotalMilliseconds;
            if (i >= 5)
            {
                // The first few warm the code paths; an administrator's session is long past them.
                timings.Add(saved);
                reads.Add(read);
            }
        }

        return new Result(saves, bytes, Stats.Percentile(timings, 50), Stats.Percentile(timings, 95), Stats.Percentile(reads, 95));
    }
}
