using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Screening.Web.Tests.Resilience;

/// <summary>The real host as a child process on a loopback port, which a test can kill with SIGKILL.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private Process? _process;

    public HostProcess(string dataDirectory, params string[] settings)
    {
        DataDirectory = dataDirectory;
        Settings = settings;
        Port = FreePort();
    }

    public string DataDirectory { get; }

    public IReadOnlyList<string> Settings { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public static string HostAssembly
    {
        get
        {
            // The host built in the same configuration as these tests.
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "src", "Screening.Web", "bin", configuration, "net10.0", "Screening.Web.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("The built host (src/Screening.Web/bin/.../Screening.Web.dll) was not found.");
        }
    }

    public async Task StartAsync()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(HostAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        info.ArgumentList.Add($"--Screening:DataDirectory={DataDirectory}");
        foreach (var setting in Infrastructure.TestDatabase.Arguments(DataDirectory))
        {
            info.ArgumentList.Add(setting);
        }

        foreach (var setting in Settings)
        {
            info.ArgumentList.Add(setting);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(info) ?? throw new InvalidOperationException("The host did not start.");
        // The host's own log (warnings and errors), kept beside its data for whoever reads a failed test.
        Directory.CreateDirectory(DataDirectory);
        var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(DataDirectory, "host.log"), append: true) { AutoFlush = true });
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The host exited with code {_process.ExitCode} while starting.");
            }

            try
            {
                if ((await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Starting slowly.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The host did not become healthy within 60 seconds.");
    }

    /// <summary>True once the process has ended by itself (or was never started).</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>Waits for the process to end by itself; false if it still runs after <paramref name="timeout"/>.</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan timeout)
    {
        if (_process is null)
        {
            return true;
        }

        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a power cut or an OOM kill would do it.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>The host's log so far (its warnings and errors).</summary>
    public string Log()
    {
        var path = Path.Combine(DataDirectory, "host.log");
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static void Write(TextWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        try
        {
            log.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // The process ended and its writer with it.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
