using System.Diagnostics;
using Npgsql;
using Screening.Web.Hosting;

namespace Screening.Web.Admin;

/// <summary>pg_dump of the deployment's database: one consistent snapshot, in its custom format (pg_restore reads it).</summary>
public static class PostgreSqlDump
{
    public const string FileName = "screening.dump";

    /// <summary>pg_dump on the PATH, or the newest of Debian's server packages; null when the machine has none.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "pg_dump")).FirstOrDefault(File.Exists)
        ?? DebianBinary("pg_dump");

    /// <summary>A PostgreSQL program from the newest of Debian's server packages (/usr/lib/postgresql/N/bin); null when none has it.</summary>
    public static string? DebianBinary(string program) =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", program)).Where(File.Exists)
                .OrderByDescending(p => int.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(p))), out var v) ? v : 0).FirstOrDefault()
            : null;

    public static async Task RunAsync(string pgDump, string connectionString, string file, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var info = new ProcessStartInfo(pgDump)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--format=custom", "--no-owner", $"--file={file}" })
        {
            info.ArgumentList.Add(argument);
        }

        // The connection goes through libpq's environment, so nothing of it (the password least) is on a command line.
        info.Environment["PGHOST"] = connection.Host;
        info.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PGDATABASE"] = connection.Database;
        info.Environment["PGUSER"] = connection.Username;
        if (connection.Password is { } password)
        {
            info.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(info) ?? throw new ConflictException("pg_dump did not start.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            File.Delete(file);
            var first = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? $"exit code {process.ExitCode}";
            throw new ConflictException($"pg_dump failed: {first}");
        }
    }
}
