using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Persistence;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>Reads of the host's database that tests use to check what a request stored (or did not).</summary>
public static class StoredState
{
    public static Task<string> UserIdAsync(this ScreeningFactory factory, string email) =>
        factory.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public static Task<CaseRecord> StoredCaseAsync(this ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(caseId)));

    public static Task<WorkflowInstanceRecord> StoredInstanceAsync(this ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Instances.AsNoTracking().SingleAsync(i => i.Id == Guid.Parse(caseId)));

    public static Task<ReviewTask> StoredTaskAsync(this ScreeningFactory factory, string taskId) =>
        factory.QueryAsync(db => db.Tasks.AsNoTracking().SingleAsync(t => t.Id == Guid.Parse(taskId)));

    public static Task<List<ReviewTask>> StoredTasksAsync(this ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Tasks.AsNoTracking().Where(t => t.CaseId == Guid.Parse(caseId)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).ToListAsync());

    public static Task<List<AuditEntry>> StoredAuditAsync(this ScreeningFactory factory, string caseId) =>
        factory.QueryAsync(db => db.Audit.AsNoTracking().Where(a => a.CaseId == Guid.Parse(caseId)).OrderBy(a => a.Seq).ToListAsync());

    public static Task<int> CaseCountAsync(this ScreeningFactory factory) => factory.QueryAsync(db => db.Cases.CountAsync());

    public static Task<int> AuditCountAsync(this ScreeningFactory factory) => factory.QueryAsync(db => db.Audit.CountAsync());

    /// <summary>The audit entries with this action, with their data parsed.</summary>
    public static async Task<List<(AuditEntry Entry, JsonObject Data)>> StoredEventsAsync(this ScreeningFactory factory, string action, string? caseId = null)
    {
        var rows = await factory.QueryAsync(db => db.Audit.AsNoTracking()
            .Where(a => a.Action == action && (caseId == null || a.CaseId == Guid.Parse(caseId)))
            .OrderBy(a => a.Seq)
            .ToListAsync());
        return [.. rows.Select(r => (r, JsonNode.Parse(r.DataJson)!.AsObject()))];
    }
}
