using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;
using Screening.Web.Workflows;
using Screening.Workflows.Runtime;

namespace Screening.Web.Tests.Persistence;

/// <summary>
/// A command takes its case's instance from memory only under the version it just read from the database, and the
/// stored state with its journal rows reads back as the instance that was kept (decision 0026).
/// </summary>
public sealed class KeptInstancesTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task AnInstanceReadBackFromItsStateAndJournalRowsIsTheOneKeptInMemory()
    {
        // Entries opened by one command and completed by later ones: a request sent from a task, answered, the task completed.
        var (caseId, taskId, requestId) = await _steps.AwaitingApplicantAsync("Give the register.");
        await factory.As(ScreeningFactory.Applicant).Post($"/api/cases/{caseId}/requests/{requestId}/response", new { answer = "Attached." }).Ok();
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/complete", new { outcome = "recommend-clear", comment = "Fine." }).Ok();
        var id = Guid.Parse(caseId);
        var version = (await factory.StoredInstanceAsync(caseId)).Version;

        var inMemory = factory.Services.GetRequiredService<KeptInstances>().Take(id, version);
        Assert.NotNull(inMemory);
        await using var scope = factory.Services.CreateAsyncScope();
        var read = await scope.ServiceProvider.GetRequiredService<CaseCommands>().LoadAsync(id, CancellationToken.None);

        Assert.NotSame(inMemory.Instance, read!.Instance);
        Assert.Equal(WorkflowInstanceSerializer.Serialize(inMemory.Instance), WorkflowInstanceSerializer.Serialize(read.Instance));
        Assert.Contains(read.Instance.Journal, e => e.Type == JournalTypes.InformationRequest && e.Outcome == "answered");
        Assert.Equal(Enumerable.Range(1, read.Instance.Journal.Count), read.Instance.Journal.Select(e => e.Seq));
        // The state row holds no journal: the rows do, one per command that changed it.
        var stored = await factory.StoredInstanceAsync(caseId);
        Assert.DoesNotContain("\"journal\"", stored.StateJson, StringComparison.Ordinal);
        var rows = await factory.QueryAsync(db => db.Journal.AsNoTracking().Where(j => j.InstanceId == id).OrderBy(j => j.Version).Select(j => j.Version).ToListAsync());
        Assert.Equal(rows.Distinct(), rows);
        Assert.Equal(version, rows[^1]);
    }

    [Fact]
    public async Task AnInstanceChangedByAnotherWriterIsReadFromTheDatabaseNotTakenFromMemory()
    {
        var caseId = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        var id = Guid.Parse(caseId);
        var stored = await factory.StoredInstanceAsync(caseId);
        // Another node's commit: a new version of the row with a state this process never saw.
        var elsewhere = WorkflowInstanceSerializer.Deserialize(stored.StateJson);
        elsewhere.SubStatus = "changed-by-another-node";
        var state = WorkflowInstanceSerializer.SerializeWithoutJournal(elsewhere);
        await factory.QueryAsync(db => db.Instances.Where(i => i.Id == id && i.Version == stored.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.StateJson, state).SetProperty(i => i.Version, i => i.Version + 1)));

        await using var scope = factory.Services.CreateAsyncScope();
        var loaded = await scope.ServiceProvider.GetRequiredService<CaseCommands>().LoadAsync(id, CancellationToken.None);

        Assert.Equal("changed-by-another-node", loaded!.Instance.SubStatus);
        Assert.Equal(stored.Version + 1, loaded.Record.Version);
        Assert.NotEmpty(loaded.Instance.Journal);
    }
}
