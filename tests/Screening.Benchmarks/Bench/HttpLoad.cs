using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Screening.Benchmarks.Bench;

/// <summary>
/// P4: concurrent GETs against the real host on loopback with wrk (Debian's package, installed by
/// scripts/benchmarks.sh), or with an in-process load generator when wrk is absent.
/// </summary>
public static partial class HttpLoad
{
    public sealed record Result(string Path, double RequestsPerSecond, double P99Milliseconds, string Tool);

    /// <summary>Runs the same load for <paramref name="warmUp"/> first, unmeasured: the figure is the steady state, after tiered compilation.</summary>
    public static async Task<Result> RunAsync(Uri baseAddress, string path, string? token, TimeSpan duration, int connections, TimeSpan warmUp)
    {
        if (File.Exists("/usr/bin/wrk"))
        {
            await WrkAsync(baseAddress, path, token, warmUp, connections);
            return await WrkAsync(baseAddress, path, token, duration, connections);
        }

        await InProcessAsync(baseAddress, path, token, warmUp, connections);
        return await InProcessAsync(baseAddress, path, token, duration, connections);
    }

    private static async Task<Result> WrkAsync(Uri baseAddress, string path, string? token, TimeSpan duration, int connections)
    {
        var info = new ProcessStartInfo("/usr/bin/wrk") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-t2", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "--latency" })
        {
            info.ArgumentList.Add(argument);
        }

        if (token is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add($"Authorization: Bearer {token}");
        }

        info.ArgumentList.Add(new Uri(baseAddress, path).ToString());
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var rps = double.Parse(RequestsPerSecondPattern().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var p99 = P99Pattern().Match(output);
        var value = double.Parse(p99.Groups[1].Value, CultureInfo.InvariantCulture);
        var ms = p99.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
        if (NonSuccessPattern().Match(output) is { Success: true } errors)
        {
            throw new InvalidOperationException($"{path}: {errors.Groups[1].Value} responses were not 2xx or 3xx.");
        }

        return new Result(path, rps, ms, "wrk");
    }

    private static async Task<Result> InProcessAsync(Uri baseAddress, string path, string? token, TimeSpan duration, int connections)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            latencies[c] = [];
            while (stop.Elapsed < duration)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path);
                response.EnsureSuccessStatusCode();
                latencies[c].Add(watch.Elapsed.TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).ToList();
        return new Result(path, all.Count / stop.Elapsed.TotalSeconds, Stats.Percentile(all, 99), "in-process client");
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecondPattern();

    [GeneratedRegex(@"99%\s+([0-9.]+)(us|ms|s)")]
    private static partial Regex P99Pattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex NonSuccessPattern();
}
