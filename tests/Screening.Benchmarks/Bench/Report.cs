using System.Globalization;

namespace Screening.Benchmarks.Bench;

/// <summary>One measured figure with the baseline it is compared to in the same run.</summary>
public sealed record Figure(string Name, double Value, string Unit, string? Baseline = null, double? BaselineValue = null, string? Note = null)
{
    public double? Ratio => BaselineValue is > 0 ? Value / BaselineValue : null;
}

/// <summary>A target line: <c>P1 engine vs WorkflowCore: 2.4x (target 2.0x) met</c>.</summary>
public sealed record Target(string Id, string Name, double Measured, double Goal, bool HigherIsBetter, string Unit)
{
    public bool Met => HigherIsBetter ? Measured >= Goal : Measured <= Goal;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Id} {Name}: {Format(Measured)}{Unit} (target {(HigherIsBetter ? "" : "≤ ")}{Format(Goal)}{Unit}) {(Met ? "met" : "missed")}");

    private static string Format(double value) => value >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.##", CultureInfo.InvariantCulture);
}

public static class Stats
{
    /// <summary>The <paramref name="p"/>th percentile of the samples, in any order (they are sorted here).</summary>
    public static double Percentile(IEnumerable<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
    }

    public static string Table(IEnumerable<Figure> figures)
    {
        var lines = new List<string> { $"{"figure",-52} {"value",14} {"baseline",-44} {"ratio",8}" };
        foreach (var f in figures)
        {
            var value = string.Create(CultureInfo.InvariantCulture, $"{f.Value:0.##} {f.Unit}");
            var baseline = f.Baseline is null ? "" : string.Create(CultureInfo.InvariantCulture, $"{f.Baseline}: {f.BaselineValue:0.##}");
            var ratio = f.Ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:0.00}x") : "";
            lines.Add($"{f.Name,-52} {value,14} {baseline,-44} {ratio,8}" + (f.Note is null ? "" : $"  ({f.Note})"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
