using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster of the test run's own: <c>initdb</c> into a temporary folder, <c>pg_ctl</c> on a
/// free loopback port (as the <c>postgres</c> user when the tests run as root, which PostgreSQL refuses to be),
/// stopped and deleted when the test process exits. Nothing outside the folder is touched, and nothing of the
/// machine's own PostgreSQL is used but its binaries.
/// </summary>
public sealed class PostgreSqlCluster : IDisposable
{
    private static readonly Lazy<PostgreSqlCluster> Shared = new(() => Start(durable: false), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _bin;
    private readonly string _folder;
    private int _stopped;

    private PostgreSqlCluster(string bin, string folder, int port)
    {
        _bin = bin;
        _folder = folder;
        Port = port;
    }

    /// <summary>The run's cluster, started on first use.</summary>
    public static PostgreSqlCluster Instance => Shared.Value;

    public int Port { get; }

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The connection string of one database of the cluster (created by whoever migrates it first).</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=20;Include Error Detail=true";

    /// <summary>Drops a database and every connection still open to it.</summary>
    public void Drop(string database)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)";
        command.ExecuteNonQuery();
    }

    /// <summary>Restores a pg_dump archive (custom format) into a new database of the cluster, as an operator would.</summary>
    public void Restore(string archive, string database)
    {
        using (var connection = new NpgsqlConnection(ConnectionString("postgres")))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE \"{database}\"";
            command.ExecuteNonQuery();
        }

        Run(Path.Combine(_bin, "pg_restore"), ["--no-owner", "--exit-on-error", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, archive], asPostgres: false);
    }

    /// <summary>A database name for a data directory: the same directory (a restarted host) gets the same database.</summary>
    public static string DatabaseFor(string dataDirectory) =>
        "t_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(dataDirectory))))[..24].ToLowerInvariant();

    /// <summary>
    /// A cluster of its own; <paramref name="durable"/> keeps PostgreSQL's defaults (fsync, synchronous commit), as a
    /// deployment runs it, where the tests' cluster skips them. Disposing it stops it.
    /// </summary>
    public static PostgreSqlCluster Start(bool durable)
    {
        var bin = FindBinaries();
        var folder = Path.Combine(Path.GetTempPath(), "screening-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            Run("chown", ["postgres:", folder], asPostgres: false);
        }

        var port = FreePort();
        var cluster = new PostgreSqlCluster(bin, folder, port);
        cluster.Run(Path.Combine(bin, "initdb"), ["-D", cluster.DataFolder, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        // Throwaway data: durability against an OS crash buys nothing here, and a killed host is not a killed database.
        var options = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=400"
            + (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        cluster.Run(Path.Combine(bin, "pg_ctl"), ["-D", cluster.DataFolder, "-l", Path.Combine(folder, "server.log"), "-o", options, "-w", "-t", "60", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    public void Dispose() => Stop();

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            Run(Path.Combine(_bin, "pg_ctl"), ["-D", DataFolder, "-m", "immediate", "-w", "stop"]);
            Directory.Delete(_folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The folder is under the temporary directory; a leftover is cleaned with it.
        }
    }

    private void Run(string program, string[] arguments) => Run(program, arguments, Environment.UserName == "root");

    private static void Run(string program, string[] arguments, bool asPostgres)
    {
        var info = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} did not finish within 90 s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.Result}{error.Result}");
        }
    }

    private static string FindBinaries() =>
        Path.GetDirectoryName(Screening.Web.Admin.PostgreSqlDump.DebianBinary("initdb"))
            ?? throw new InvalidOperationException("PostgreSQL's server binaries were not found under /usr/lib/postgresql; scripts/setup.sh installs Debian's postgresql package.");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
