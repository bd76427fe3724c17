using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Audit;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Persistence;

/// <summary>
/// The hot rows of a command go in by statements built from the model (decision 0031). What they store must be what
/// SaveChanges stores, column by column, as the database keeps it: the audit chain's hashes are recomputed from
/// stored rows, and the readers of the outbox, the journal and the instances go through EF Core. The instance's
/// update keeps SaveChanges' guard: a version that moved since it was read refuses it and changes nothing.
/// </summary>
public sealed class RowStatementsTests : IDisposable
{
    private static readonly DateTime At = new(2027, 3, 4, 5, 6, 7, DateTimeKind.Utc);

    private readonly ScreeningFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task AnInstanceUpdatedByKeyUnderTheVersionItReadIsStoredAndAStaleVersionChangesNothing()
    {
        var caseId = await new CaseSteps(_factory).Scenario.FileAsync(Scenario.LowRiskCa());
        var stored = await _factory.StoredInstanceAsync(caseId);
        var read = stored.Version;
        var fresh = WorkflowInstanceRecord.Header(stored.Id, stored.DefinitionKey, stored.DefinitionVersion, read);
        fresh.Store("{\"fresh\":true}", "waiting", At);
        var stale = WorkflowInstanceRecord.Header(stored.Id, stored.DefinitionKey, stored.DefinitionVersion, read);
        stale.Store("{\"stale\":true}", "completed", At.AddDays(1));

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            await RowStatements.UpdateAsync(db, fresh, WorkflowInstanceRecord.Stored, read);
            // Read at the same version as the first, which has moved it since.
            await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => RowStatements.UpdateAsync(db, stale, WorkflowInstanceRecord.Stored, read));
        }

        var after = await _factory.StoredInstanceAsync(caseId);
        Assert.Equal(("{\"fresh\":true}", "waiting", read + 1, At), (after.StateJson, after.Status, after.Version, after.UpdatedAt));
        Assert.Equal((stored.DefinitionKey, stored.DefinitionVersion), (after.DefinitionKey, after.DefinitionVersion));
    }

    [Fact]
    public async Task ARowInsertedByTheStatementIsStoredAsSaveChangesStoresIt()
    {
        // Microseconds, as both databases keep them; nulls in the nullable columns.
        var at = At.AddTicks(1_234_560);
        OutboxMessage Message(Guid id) => new() { Id = id, Audience = "applicant", Subject = "mail", Kind = OutboxKinds.Mail, DataJson = "{\"event\":\"decision\"}", CreatedAt = at };
        var (bySaveChanges, byStatement) = (Guid.NewGuid(), Guid.NewGuid());
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            db.Outbox.Add(Message(bySaveChanges));
            await db.SaveChangesAsync();
            await RowStatements.InsertAsync(db, [Message(byStatement)]);
        }

        var stored = await StoredRowsAsync("Outbox");
        Assert.Equal(2, stored.Count);
        var (saved, inserted) = (stored.Single(r => Same(r["Id"], bySaveChanges)), stored.Single(r => Same(r["Id"], byStatement)));
        Assert.Equal(saved.Keys.Order(), inserted.Keys.Order());
        Assert.All(saved.Keys.Where(k => k != "Id"), k => Assert.Equal(saved[k], inserted[k]));
        Assert.Equal(DBNull.Value, inserted["DeliveredAt"]);
    }

    [Fact]
    public async Task RowsOfSeveralKindsAndManyRowsGoInAndReadBackWhole()
    {
        var caseId = Guid.NewGuid();
        var full = new OutboxMessage
        {
            Id = Guid.NewGuid(), CaseId = caseId, Audience = "officer", Jurisdiction = "MX", Subject = "Asunto", Body = "Cuerpo «ñ»",
            Kind = OutboxKinds.Notification, DataJson = null, CreatedAt = At, DeliveredAt = At.AddSeconds(1),
        };
        var entry = new AuditEntry { Seq = 900_001, At = At, Actor = "test", Action = "test.inserted", CaseId = caseId, DataJson = "{\"n\":1}", PreviousHash = "ab" };
        entry.Hash = AuditTrail.ComputeHash(entry);
        var journal = new JournalRow { Id = Guid.NewGuid(), InstanceId = caseId, Version = 7, EntriesJson = "[]" };
        // More rows than one statement's parameters allow: the insert is split, and none is lost or doubled.
        var many = Enumerable.Range(0, 700).Select(i => new OutboxMessage { Id = Guid.NewGuid(), Audience = "applicant", Subject = $"n{i}", CreatedAt = At }).ToList();

        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
            await RowStatements.InsertAsync(db, [full, entry, .. many, journal]);
        }

        await using var read = _factory.Services.CreateAsyncScope();
        var reader = read.ServiceProvider.GetRequiredService<ScreeningDbContext>();
        var back = await reader.Outbox.AsNoTracking().SingleAsync(o => o.Id == full.Id);
        Assert.Equivalent(full, back, strict: true);
        var storedEntry = await reader.Audit.AsNoTracking().SingleAsync(a => a.Seq == entry.Seq);
        Assert.Equivalent(entry, storedEntry, strict: true);
        Assert.Equal(entry.Hash, AuditTrail.ComputeHash(storedEntry));
        Assert.Equivalent(journal, await reader.Journal.AsNoTracking().SingleAsync(j => j.Id == journal.Id), strict: true);
        var subjects = await reader.Outbox.AsNoTracking().Where(o => o.Subject.StartsWith("n")).Select(o => o.Subject).ToListAsync();
        Assert.Equal(many.Select(m => m.Subject).Order(), subjects.Order());
    }

    /// <summary>Every row of a table as the database returns its columns, without EF Core's conversions.</summary>
    private async Task<List<Dictionary<string, object>>> StoredRowsAsync(string table)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScreeningDbContext>();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using DbDataReader rows = await command.ExecuteReaderAsync();
        var result = new List<Dictionary<string, object>>();
        while (await rows.ReadAsync())
        {
            result.Add(Enumerable.Range(0, rows.FieldCount).ToDictionary(rows.GetName, rows.GetValue));
        }

        return result;
    }

    /// <summary>A stored key (text on SQLite, a uuid on PostgreSQL) is this id.</summary>
    private static bool Same(object stored, Guid id) => stored is Guid guid ? guid == id : Guid.Parse((string)stored) == id;
}
