using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Screening.Testing;

namespace Screening.Benchmarks.Bench;

/// <summary>The built host as a separate process (what P4 loads and P5 measures).</summary>
public sealed class HostLauncher : IDisposable
{
    private readonly Process _process;

    private HostLauncher(Process process, int port, TimeSpan startup)
    {
        _process = process;
        Port = port;
        Startup = startup;
    }

    public int Port { get; }

    public TimeSpan Startup { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>
    /// Publishes the host as it is deployed: Release, for this machine's runtime, so precompiled (ReadyToRun).
    /// Returns the folder to start it from.
    /// </summary>
    public static string Publish()
    {
        var output = Path.Combine(AppContext.BaseDirectory, "published-host");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = RepositoryRoot.Folder };
        foreach (var argument in new[] { "publish", Path.Combine("src", "Screening.Web", "Screening.Web.csproj"), "-c", "Release", "--use-current-runtime", "--self-contained", "false", "-o", output, "-v", "quiet" })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var log = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed:{Environment.NewLine}{log}");
        }

        return output;
    }

    /// <summary>Starts the host in <paramref name="hostDirectory"/> (the harness's own output by default) on a data folder.</summary>
    public static async Task<HostLauncher> StartAsync(string dataDirectory, string? hostDirectory = null, params string[] settings)
    {
        var port = FreePort();
        hostDirectory ??= AppContext.BaseDirectory;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = hostDirectory };
        foreach (var argument in new[] { Path.Combine(hostDirectory, "Screening.Web.dll"), "--urls", $"http://127.0.0.1:{port}", $"--Screening:DataDirectory={dataDirectory}", "--Screening:RateLimits:WritesPerMinute=100000000" }.Concat(settings))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var watch = Stopwatch.StartNew();
        var process = Process.Start(info)!;
        // The host's warnings and errors, kept beside its data (BENCH_KEEP=1 keeps them after the run).
        Directory.CreateDirectory(dataDirectory);
        var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(dataDirectory, "host.log"), append: true) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if ((await client.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK)
                {
                    return new HostLauncher(process, port, watch.Elapsed);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // starting
            }

            await Task.Delay(20);
        }

        process.Kill(true);
        throw new TimeoutException("The host did not become healthy.");
    }

    private static void Write(TextWriter log, string? line)
    {
        if (line is not null)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process ended.
            }
        }
    }

    /// <summary>
    /// Resident memory (VmRSS) of the host process in MB, and what it is made of: anonymous (heaps), file
    /// (mapped code and data files) and shared (the runtime's double-mapped code).
    /// </summary>
    /// <summary>Resident memory in all, its anonymous part (heaps, buffers: what the process allocated) and a breakdown.</summary>
    public (double Megabytes, double Anonymous, string Breakdown) ResidentMemory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Field(string name) => double.Parse(
            status.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            System.Globalization.CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("RssAnon"), $"anonymous {Field("RssAnon"):0} MB, files {Field("RssFile"):0} MB, shared {Field("RssShmem"):0} MB");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
