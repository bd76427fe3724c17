using Screening.Web.Audit;
using Screening.Web.Persistence;

namespace Screening.Web.Tests.Audit;

/// <summary>
/// The stamps a process keeps of its own commits: known only when no commit is under way, never learned
/// from a database read once a commit of this process has touched the case, and off where others write.
/// </summary>
public sealed class ChangeStampsTests
{
    private static readonly Guid CaseA = Guid.NewGuid();
    private static readonly Guid CaseB = Guid.NewGuid();

    [Fact]
    public void ACommitHidesItsCasesWhileItWritesAndRecordsTheirNewNumbersAfter()
    {
        var stamps = new ChangeStamps(enabled: true);
        Assert.Null(stamps.Case(CaseA));
        stamps.Learned(CaseA, 5, stamps.Epoch);
        stamps.LearnedTrail(9);
        Assert.Equal((5L, 9L), (stamps.Case(CaseA), stamps.Trail()));

        List<AuditEntry> entries = [Entry(10, CaseA), Entry(11, null), Entry(12, CaseB), Entry(13, CaseA)];
        stamps.Writing(entries);

        Assert.Null(stamps.Case(CaseA));
        Assert.Null(stamps.Case(CaseB));
        Assert.Null(stamps.Trail());

        // A reader that read the database before the commit landed cannot teach the old number.
        stamps.Learned(CaseA, 5, stamps.Epoch);
        stamps.Learned(CaseB, 4, stamps.Epoch);
        stamps.LearnedTrail(9);
        Assert.Null(stamps.Case(CaseA));
        Assert.Null(stamps.Trail());

        stamps.Committed(entries);
        Assert.Equal((13L, 12L, 13L), (stamps.Case(CaseA), stamps.Case(CaseB), stamps.Trail()));

        stamps.Learned(CaseA, 5, stamps.Epoch);
        Assert.Equal(13L, stamps.Case(CaseA));
    }

    [Fact]
    public void AFailedCommitLeavesItsCasesToTheDatabaseUntilTheNextCommit()
    {
        var stamps = new ChangeStamps(enabled: true);
        stamps.Learned(CaseA, 5, stamps.Epoch);
        stamps.Writing([Entry(6, CaseA)]);

        stamps.Learned(CaseA, 5, stamps.Epoch);
        Assert.Null(stamps.Case(CaseA));
        Assert.Null(stamps.Trail());

        List<AuditEntry> next = [Entry(6, CaseA)];
        stamps.Writing(next);
        stamps.Committed(next);
        Assert.Equal((6L, 6L), (stamps.Case(CaseA), stamps.Trail()));
    }

    [Fact]
    public void ACommitWithoutEntriesChangesNothingAndDisabledStampsKnowNothing()
    {
        var stamps = new ChangeStamps(enabled: true);
        stamps.Learned(CaseA, 5, stamps.Epoch);
        stamps.LearnedTrail(5);
        stamps.Writing([]);
        stamps.Committed([]);
        Assert.Equal((5L, 5L), (stamps.Case(CaseA), stamps.Trail()));

        var off = new ChangeStamps(enabled: false);
        off.Learned(CaseA, 5, off.Epoch);
        off.LearnedTrail(5);
        List<AuditEntry> entries = [Entry(6, CaseA)];
        off.Writing(entries);
        off.Committed(entries);
        Assert.Null(off.Case(CaseA));
        Assert.Null(off.Trail());
    }

    [Fact]
    public void PastItsCapacityACommitForgetsAndANumberReadBeforeThatIsNotLearned()
    {
        var stamps = new ChangeStamps(enabled: true, capacity: 2);
        var caseC = Guid.NewGuid();
        var before = stamps.Epoch;
        List<AuditEntry> entries = [Entry(1, CaseA), Entry(2, CaseB)];
        stamps.Writing(entries);
        stamps.Committed(entries);
        Assert.Equal((1L, 2L), (stamps.Case(CaseA), stamps.Case(CaseB)));

        List<AuditEntry> third = [Entry(3, caseC)];
        stamps.Writing(third);
        stamps.Committed(third);

        Assert.Null(stamps.Case(CaseA));
        Assert.Null(stamps.Case(caseC));
        Assert.Equal(3L, stamps.Trail());
        // Read from the database before the commit that forgot: stale by now, so not learned.
        stamps.Learned(CaseA, 0, before);
        Assert.Null(stamps.Case(CaseA));
        stamps.Learned(CaseA, 1, stamps.Epoch);
        Assert.Equal(1L, stamps.Case(CaseA));
    }

    [Fact]
    public void TheChainsTailIsTakenByOneCommitAndOnlyASuccessfulCommitLeavesOne()
    {
        var stamps = new ChangeStamps(enabled: true);
        Assert.Null(stamps.TakeTail());

        List<AuditEntry> entries = [Entry(7, CaseA), Entry(8, null)];
        stamps.Writing(entries);
        stamps.Committed(entries);
        Assert.Equal(new ChainTail(8, "hash-8"), stamps.TakeTail());
        // Taken: a commit that fails after taking it leaves the next one to read the trail.
        Assert.Null(stamps.TakeTail());

        stamps.Writing([]);
        stamps.Committed([]);
        Assert.Null(stamps.TakeTail());

        // A commit that wrote no entries gives back the tail it chained nothing onto.
        stamps.Committed(entries);
        var taken = stamps.TakeTail();
        stamps.ReturnTail(taken);
        Assert.Equal(new ChainTail(8, "hash-8"), stamps.TakeTail());

        var off = new ChangeStamps(enabled: false);
        off.Writing(entries);
        off.Committed(entries);
        Assert.Null(off.TakeTail());
    }

    private static AuditEntry Entry(long seq, Guid? caseId) =>
        new() { Seq = seq, At = DateTime.UtcNow, Actor = "test", Action = "test", CaseId = caseId, DataJson = "{}", Hash = $"hash-{seq}" };
}
