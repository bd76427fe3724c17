using Screening.Workflows.Clocks;
using static Screening.Workflows.Tests.Pipeline.PipelineHarness;

namespace Screening.Workflows.Tests.Pipeline;

/// <summary>
/// A target with assets in both countries: both governments are hosts, each on its own law and clock; one side's
/// request never stops the other's clock, Mexico's silence is a deemed approval inside the joint review too, and the
/// case's decision is the most restrictive of the two.
/// </summary>
public class JointReviewScenarioTests
{
    private static PipelineHarness Joint()
    {
        var h = new PipelineHarness();
        h.Start(Filings.Create("CA", assetCountries: ["CA", "MX"]));
        h.Complete("intake-review", "certify", "ca-officer-1");
        return h;
    }

    [Fact]
    public void OneSidesRequestLeavesTheOthersClockAlone()
    {
        var h = Joint();
        h.AdvanceDays(4);

        h.RequestInformation("joint-review-mx", "¿Quién es el beneficiario final?", 10, "mx-officer-1");

        Assert.Equal((ClockState.Stopped, ClockState.Running), (h.Clock("MX").State, h.Clock("CA").State));
        Assert.Equal(Date("2027-02-18"), h.DueDate("CA"));
        h.RequestInformation("joint-review-ca", "Who holds the offtake rights?", 10, "ca-officer-1");
        Assert.Equal((ClockState.Running, Date("2027-02-18")), (h.Clock("CA").State, h.DueDate("CA")));
    }

    [Fact]
    public void MexicosSilenceIsADeemedApprovalInsideAJointReviewWhileCanadaReviewsOn()
    {
        var h = Joint();
        h.Complete("joint-review-ca", "escalate", "ca-officer-1");
        h.AdvanceDays(42); // Monday 15 February
        h.Complete("minister-initial", "send-notice", "ca-minister-1"); // Canada's period now ends on 1 April

        h.AdvanceTo(Instant("2027-03-10T07:00:00Z"));

        var mexico = h.DecisionOf("MX");
        Assert.Equal(("deemed-approved", "operation-of-law", Instant("2027-03-10T06:00:00Z")), (mexico.Outcome, mexico.Authority, mexico.DecidedAt));
        Assert.Null(h.Instance.Decision);
        Assert.Equal(Date("2027-04-01"), h.DueDate("CA"));
        h.Complete("notice-review", "recommend-no-order", "ca-officer-1");
        h.Complete("minister-after-notice", "no-order", "ca-minister-1");
        Assert.Equal(("cleared", "minister"), (h.DecisionOf("CA").Outcome, h.DecisionOf("CA").Authority));
        Assert.NotNull(h.Instance.Decision);
    }

    [Fact]
    public void TheMostRestrictiveDecisionOfTheTwoIsTheCases()
    {
        var h = Joint();
        h.Complete("joint-review-mx", "recommend-prohibit", "mx-officer-1");
        h.Complete("cnie-resolution", "deny", "mx-cnie-1", "Actividad reservada al Estado.");
        h.Complete("joint-review-ca", "recommend-clear", "ca-officer-1");

        h.AdvanceDays(46); // Canada's initial period ends without a notice

        Assert.Equal(("prohibited", "cnie"), (h.Instance.Decision!.Outcome, h.Instance.Decision.Authority));
        Assert.Equal([("MX", "prohibited"), ("CA", "cleared")], h.Instance.Decisions.Select(d => (d.Jurisdiction!, d.Outcome)));
    }
}
