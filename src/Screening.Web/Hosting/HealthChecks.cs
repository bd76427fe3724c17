using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Screening.Web.Persistence;

namespace Screening.Web.Hosting;

/// <summary>Whether the database answers, and which: the provider is part of what an operator reads.</summary>
public sealed class DatabaseHealthCheck(ScreeningDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var provider = db.Database.IsSqlite() ? "SQLite" : "PostgreSQL";
        var data = new Dictionary<string, object> { ["provider"] = provider };
        return await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy($"{provider} answers.", data)
            : HealthCheckResult.Unhealthy($"{provider} does not answer.", data: data);
    }
}

public sealed class JobServerHealthCheck(IOptions<ScreeningOptions> options, JobStorage storage) : IHealthCheck
{
    private string Storage => options.Value.Jobs.Storage.ToLowerInvariant() switch
    {
        "postgresql" => "PostgreSQL",
        "inmemory" => "memory",
        _ => "SQLite",
    };

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            if (!options.Value.Jobs.RunServer)
            {
                return Task.FromResult(HealthCheckResult.Healthy($"This node runs no job server; the job storage ({Storage}) answers."));
            }

            // On a shared storage the servers are the deployment's: every node's that is up.
            return Task.FromResult(servers.Count > 0
                ? HealthCheckResult.Healthy($"{servers.Count} job server(s) up on {Storage}.")
                : HealthCheckResult.Unhealthy($"No job server is running on {Storage}."));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The job storage ({Storage}) does not answer.", ex));
        }
    }
}
