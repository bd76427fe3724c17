using System.Net;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Cases;

public sealed class OfficialNotesTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    [Fact]
    public async Task AnOfficerCannotSeeTheOtherJurisdictionsRestrictedNotesButReadsItsSharedOnes()
    {
        var scenario = new Scenario(factory);
        var id = await scenario.FileAsync(Scenario.HighRiskCa());
        await scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        var canada = factory.As(ScreeningFactory.OfficerCa);
        await canada.Post($"/api/cases/{id}/notes", new { text = "CA only: intelligence briefing pending.", restricted = true }).Ok(HttpStatusCode.Created);
        await canada.Post($"/api/cases/{id}/notes", new { text = "Shared: offtake terms under study.", restricted = false }).Ok(HttpStatusCode.Created);
        await factory.As(ScreeningFactory.OfficerMx).Post($"/api/cases/{id}/notes", new { text = "MX only: concession file requested.", restricted = true }).Ok(HttpStatusCode.Created);

        var seenByMexico = await factory.As(ScreeningFactory.OfficerMx).Get($"/api/cases/{id}").Ok();
        var seenByCanada = await canada.Get($"/api/cases/{id}").Ok();

        var mexicoNotes = seenByMexico["notes"]!.AsArray().Select(n => n.S("text")).ToList();
        Assert.Equal(["Shared: offtake terms under study.", "MX only: concession file requested."], mexicoNotes);
        Assert.DoesNotContain("intelligence briefing", seenByMexico.ToJsonString(), StringComparison.Ordinal);
        var canadaNotes = seenByCanada["notes"]!.AsArray().Select(n => n.S("text")).ToList();
        Assert.Equal(["CA only: intelligence briefing pending.", "Shared: offtake terms under study."], canadaNotes);
        Assert.Equal(3, await factory.QueryAsync(db => db.Notes.CountAsync(n => n.CaseId == Guid.Parse(id))));
        Assert.Null((await factory.As(ScreeningFactory.Applicant).Get($"/api/cases/{id}").Ok())["notes"]);
    }
}
