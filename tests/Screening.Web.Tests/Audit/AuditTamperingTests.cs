using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Persistence;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Audit;

/// <summary>
/// GET /api/audit/verify finds a row edited, re-hashed or deleted behind the application's back. Each test puts
/// the row back as it was afterwards (and checks the log verifies again), so the class shares one host.
/// </summary>
public sealed class AuditTamperingTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    [Fact]
    public async Task AnEditedRowIsTheFirstBrokenEntry()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await AssertValidAsync();
        // The entry of the command that opened the intake task for an officer.
        var victim = (await factory.StoredAuditAsync(id)).First(e => e.DataJson.Contains("\"role\":\"officer\"", StringComparison.Ordinal));
        var total = await factory.QueryAsync(db => db.Audit.LongCountAsync());
        try
        {
            var edited = await factory.QueryAsync(db => db.Audit.Where(a => a.Seq == victim.Seq)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DataJson, victim.DataJson.Replace("\"officer\"", "\"decision-maker\"", StringComparison.Ordinal))));
            Assert.Equal(1, edited);

            var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();

            Assert.False(verify["valid"]!.GetValue<bool>());
            Assert.Equal(victim.Seq, verify["firstBrokenSeq"]!.GetValue<long>());
            Assert.Equal(total, verify["entries"]!.GetValue<long>());
            var row = await factory.QueryAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Seq == victim.Seq));
            Assert.Contains("decision-maker", row.DataJson, StringComparison.Ordinal);
        }
        finally
        {
            await factory.QueryAsync(db => db.Audit.Where(a => a.Seq == victim.Seq).ExecuteUpdateAsync(s => s.SetProperty(a => a.DataJson, victim.DataJson)));
        }

        await AssertValidAsync();
    }

    [Fact]
    public async Task AnEditedRowWhoseOwnHashWasRecomputedBreaksTheLinkOfTheNextEntry()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await AssertValidAsync();
        var victim = (await factory.StoredAuditAsync(id)).First(e => e.Action == "case.submitted");
        var forged = new AuditEntry
        {
            Seq = victim.Seq,
            At = victim.At,
            Actor = victim.Actor,
            Action = victim.Action,
            CaseId = victim.CaseId,
            DataJson = victim.DataJson.Replace("\"CA\"", "\"MX\"", StringComparison.Ordinal),
            PreviousHash = victim.PreviousHash,
        };
        var forgedHash = AuditTrail.ComputeHash(forged);
        Assert.NotEqual(victim.Hash, forgedHash);
        try
        {
            await factory.QueryAsync(db => db.Audit.Where(a => a.Seq == victim.Seq)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DataJson, forged.DataJson).SetProperty(a => a.Hash, forgedHash)));

            var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();

            Assert.False(verify["valid"]!.GetValue<bool>());
            Assert.Equal(victim.Seq + 1, verify["firstBrokenSeq"]!.GetValue<long>());
        }
        finally
        {
            await factory.QueryAsync(db => db.Audit.Where(a => a.Seq == victim.Seq)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DataJson, victim.DataJson).SetProperty(a => a.Hash, victim.Hash)));
        }

        await AssertValidAsync();
    }

    [Fact]
    public async Task ADeletedRowIsDetectedWhereTheGapIs()
    {
        var id = await _steps.FileCertifiedAsync(Scenario.LowRiskCa());
        await AssertValidAsync();
        var entries = await factory.StoredAuditAsync(id);
        var victim = entries[entries.Count / 2];
        try
        {
            var deleted = await factory.QueryAsync(db => db.Audit.Where(a => a.Seq == victim.Seq).ExecuteDeleteAsync());
            Assert.Equal(1, deleted);

            var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();

            Assert.False(verify["valid"]!.GetValue<bool>());
            Assert.Equal(victim.Seq, verify["firstBrokenSeq"]!.GetValue<long>());
            Assert.Equal(await factory.QueryAsync(db => db.Audit.LongCountAsync()), verify["entries"]!.GetValue<long>());
        }
        finally
        {
            await factory.QueryAsync(async db =>
            {
                if (!await db.Audit.AnyAsync(a => a.Seq == victim.Seq))
                {
                    db.Audit.Add(victim);
                    await db.SaveChangesAsync();
                }

                return 0;
            });
        }

        await AssertValidAsync();
    }

    private async Task AssertValidAsync()
    {
        var verify = await factory.As(ScreeningFactory.Admin).Get("/api/audit/verify").Ok();
        Assert.True(verify["valid"]!.GetValue<bool>(), verify.ToJsonString());
        Assert.Null(verify["firstBrokenSeq"]);
    }
}
