using System.Text.Json.Nodes;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Tests.Pipeline;
using static Screening.Workflows.Tests.Pipeline.PipelineHarness;

namespace Screening.Workflows.Tests.Pipeline;

/// <summary>
/// The shipped pipeline under the Investment Canada Act, Part IV.1, and SOR/2009-271, with dates worked out by
/// hand: day 1 is the day after the start; a last day on a Sunday or an Interpretation Act s. 35 holiday may be
/// met on the next day that is not one (a Saturday is not one). The harness files on Monday 4 January 2027,
/// 15:00 UTC (10:00 in Ottawa).
/// </summary>
public class CanadaScenarioTests
{
    private const string Officer = "ca-officer-1";
    private const string Minister = "ca-minister-1";

    [Fact]
    public void WithNeitherCertificateNorDeficiencyNoticeInFifteenDaysTheFilingIsCompleteAsOfItsReceipt()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk());

        h.AdvanceDays(16); // the intake's 15 days end on 19 January; nobody certified

        // ICA s. 13(3): complete as of 4 January, so the 45 days end on 18 February, not 15 days later.
        var clock = h.Clock("CA");
        Assert.Equal((Date("2027-01-04"), Date("2027-02-18"), ClockState.Running), (clock.StartedOn, h.DueDate("CA"), clock.State));
        Assert.Equal("certify", h.Instance.Variables["intake"]!["outcome"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "intake-review")]
    [InlineData("summary", "deficiency-notice")]
    [InlineData("investor.ultimateParent", "deficiency-notice")]
    [InlineData("transaction.plannedClosing", "deficiency-notice")]
    public void AFilingMissingWhatTheDefinitionRequiresGetsADeficiencyNotice(string? missing, string expected)
    {
        var filing = Filings.LowRisk();
        if (missing is not null)
        {
            var parts = missing.Split('.');
            JsonNode? parent = filing;
            foreach (var part in parts[..^1])
            {
                parent = parent![part];
            }

            parent!.AsObject()[parts[^1]] = missing == "summary" ? "   " : null;
        }

        var h = new PipelineHarness();
        h.Start(filing);

        // The one list the definition declares (filingRequires, which the filing form reads) decides completeness.
        Assert.Equal(["investor.ultimateParent", "target.assetCountries", "transaction.plannedClosing", "summary"],
            h.Definition.Definition.Variables["filingRequires"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Contains(expected, h.Instance.Trace);
        Assert.DoesNotContain(expected == "intake-review" ? "deficiency-notice" : "intake-review", h.Instance.Trace);
    }

    [Fact]
    public void AfterADeficiencyNoticeTheCertifiedDateIsTheDayTheMissingInformationArrived()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk());
        h.AdvanceDays(2);
        h.Complete("intake-review", "deficient", Officer);
        h.AdvanceDays(5); // Monday 11 January
        h.Answer(h.Instance.OpenRequests.Single().Id, "The ultimate parent's register is attached.");
        h.AdvanceDays(2); // the certificate is issued on Wednesday 13 January

        h.Complete("intake-review", "certify", Officer);

        // 45 days from 11 January: 25 February 2027.
        Assert.Equal((Date("2027-01-11"), Date("2027-02-25")), (h.Clock("CA").StartedOn, h.DueDate("CA")));
    }

    [Fact]
    public void ACanadianRequestForInformationMovesNoDeadline()
    {
        var h = Certified(Filings.LowRisk());
        h.AdvanceDays(4);

        var request = h.RequestInformation("host-review", "Who holds the offtake rights?", 10, Officer);

        Assert.Equal((ClockState.Running, Date("2027-02-18")), (h.Clock("CA").State, h.DueDate("CA")));
        h.AdvanceDays(7);
        h.Answer(request, "The investor's parent holds them.");
        Assert.Equal((ClockState.Running, Date("2027-02-18"), 0), (h.Clock("CA").State, h.DueDate("CA"), h.Clock("CA").StopCount));
    }

    [Fact]
    public void TheInitialPeriodEndingWithoutANoticeEndsTheReviewByOperationOfLaw()
    {
        var h = Certified(Filings.LowRisk());
        h.Complete("host-review", "recommend-clear", Officer);

        h.AdvanceDays(45); // 18 February, 15:00 UTC: still the last day in Ottawa
        Assert.Null(h.Instance.Decision);
        h.AdvanceDays(1);

        var decision = h.Instance.Decision!;
        Assert.Equal(("cleared", "operation-of-law"), (decision.Outcome, decision.Authority));
        Assert.StartsWith("ICA ss. 25.2(1), 25.3(1)", decision.Basis, StringComparison.Ordinal);
        Assert.Equal(Instant("2027-02-19T05:00:00Z"), decision.DecidedAt); // the end of 18 February in Ottawa
        Assert.Equal("decided", h.Instance.EndStatus);
    }

    [Fact]
    public void APartnerStillConsultedWhenThePeriodEndsNeedsNoOfficialsStep()
    {
        var h = Certified(Filings.HighRisk());
        h.Complete("host-review", "recommend-clear", Officer);
        h.AdvanceDays(30);
        h.Complete("partner-consultation", "request-information", "mx-officer-1");
        h.AdvanceDays(10);
        h.Complete("partner-information", "sent", Officer); // the partner now has 20 days, past Canada's 18 February

        h.AdvanceDays(7);

        Assert.Equal(("cleared", "operation-of-law"), (h.Instance.Decision!.Outcome, h.Instance.Decision.Authority));
        Assert.DoesNotContain("consider-partner-comments", h.Instance.Trace);
        Assert.Equal(("no-comment", "system"), (h.Instance.Variables["partnerFollowUp"]!["outcome"]!.GetValue<string>(), h.Instance.Variables["partnerFollowUp"]!["actor"]!.GetValue<string>()));
    }

    [Fact]
    public void AS252NoticeStartsFortyFiveDaysCountedFromTheDayItWasSent()
    {
        var h = Certified(Filings.HighRisk());
        h.Complete("partner-consultation", "no-comment", "mx-officer-1");
        h.Complete("host-review", "escalate", Officer);
        h.AdvanceDays(21); // Monday 25 January; the notice went out on Friday 22 January

        h.CompleteOn("minister-initial", "send-notice", Minister, Date("2027-01-22"));

        var notice = Assert.Single(h.Instance.Notices);
        Assert.Equal(("s25.2-notice", Date("2027-01-22"), "ICA s. 25.2(1)"), (notice.Kind, notice.EffectiveOn, notice.Basis));
        // 45 days from 22 January: 8 March 2027 — not the initial 18 February plus 45.
        Assert.Equal((Date("2027-01-22"), Date("2027-03-08")), (h.Clock("CA").StartedOn, h.DueDate("CA")));
        Assert.Equal("notice-period", h.Instance.SubStatus);
    }

    [Fact]
    public void AnOrderStartsTheReviewAnExtensionNoticeCountsFromItsOwnDayAndCabinetDecidesWithinTwentyDays()
    {
        var h = Certified(Filings.HighRisk());
        h.Complete("partner-consultation", "no-comment", "mx-officer-1");
        h.Complete("host-review", "escalate", Officer);
        h.AdvanceDays(18);
        h.CompleteOn("minister-initial", "send-notice", Minister, Date("2027-01-22"));
        h.AdvanceTo(Instant("2027-03-01T15:00:00Z"));
        h.Complete("notice-review", "recommend-order", Officer);

        h.Complete("minister-after-notice", "make-order", Minister);

        // The review: 45 days from the order of 1 March, 15 April 2027.
        Assert.Equal((Date("2027-03-01"), Date("2027-04-15")), (h.Clock("CA").StartedOn, h.DueDate("CA")));
        h.AdvanceTo(Instant("2027-04-12T15:00:00Z"));
        h.Complete("full-review", "extend-by-notice", Officer);
        // s. 25.3(7): 45 days from the extension notice of 12 April, 27 May 2027.
        Assert.Equal(Date("2027-05-27"), h.DueDate("CA"));

        h.Complete("full-review", "recommend-referral", Officer);
        h.Complete("minister-final", "refer-to-gic", Minister, "The Governor in Council should decide.");
        // 20 days from 12 April end on Sunday 2 May: met on Monday 3 May.
        Assert.Equal(Date("2027-05-03"), h.DueDate("CA"));

        h.Complete("cabinet-order", "block", Minister, "The offtake would give a foreign state control of the supply.");
        var decision = h.Instance.Decision!;
        Assert.Equal(("prohibited", "governor-in-council", "ICA s. 25.4(1)(a)"), (decision.Outcome, decision.Authority, decision.Basis));
        Assert.Equal(["s25.2-notice", "s25.3-order", "s25.3(7)-extension", "referral-to-gic"], h.Instance.Notices.Select(n => n.Kind));
    }

    [Fact]
    public void AnExtensionByAgreementRunsToTheDayBothSigned()
    {
        var h = ToFullReview();

        h.Complete("full-review", "extend-by-agreement", Officer, data: new System.Text.Json.Nodes.JsonObject { ["agreedDueOn"] = "2027-06-30" });

        Assert.Equal(Date("2027-06-30"), h.DueDate("CA"));
        Assert.Equal("extension-by-agreement", h.Instance.Notices[^1].Kind);
    }

    [Fact]
    public void TheMinisterMayCloseAReviewOnUndertakings()
    {
        var h = ToFullReview();
        h.Complete("full-review", "recommend-undertakings", Officer);

        h.Complete("minister-final", "close-on-undertakings", Minister, "The undertakings answer the concern.", new System.Text.Json.Nodes.JsonObject
        {
            ["conditions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["text"] = "Keep the offtake in Canada.", ["dueInDays"] = 90 }),
        });

        var decision = h.Instance.Decision!;
        Assert.Equal(("cleared-with-conditions", "minister", "ICA ss. 25.3(2), 25.3(6)(c)"), (decision.Outcome, decision.Authority, decision.Basis));
        Assert.Equal(Date("2027-06-11"), Assert.Single(decision.Conditions).DueDate); // 90 days from 13 March
        Assert.Equal("monitoring", h.Instance.SubStatus);
    }

    [Theory]
    [InlineData("2026-12-30T15:00:00Z", "2027-02-13")] // day 45 a Saturday: not a holiday, it stays
    [InlineData("2026-12-31T15:00:00Z", "2027-02-15")] // day 45 a Sunday: met on Monday
    [InlineData("2027-02-09T15:00:00Z", "2027-03-27")] // day 45 Good Friday (s. 35): met on Saturday 27 March
    public void ALastDayOnAHolidayMovesToTheNextDayThatIsNotOne(string filedAt, string dueOn)
    {
        var h = new PipelineHarness(Instant(filedAt));
        h.Start(Filings.LowRisk());

        h.Complete("intake-review", "certify", Officer);

        Assert.Equal(Date(dueOn), h.DueDate("CA"));
    }

    [Fact]
    public void AnInvestmentNeverFiledStaysReviewableForFiveYearsAfterItsImplementation()
    {
        var h = new PipelineHarness();
        h.StartWith(new System.Text.Json.Nodes.JsonObject
        {
            ["filing"] = Filings.LowRisk(),
            ["receivedAt"] = "2027-01-04T15:00:00Z",
            ["initiative"] = new System.Text.Json.Nodes.JsonObject { ["implementedOn"] = "2025-06-30", ["openedBy"] = Officer },
        });

        // Five years after 30 June 2025 is Sunday 30 June 2030; Monday 1 July is Canada Day: met on Tuesday 2 July.
        Assert.Equal((Date("2025-06-30"), Date("2030-07-02")), (h.Clock("CA").StartedOn, h.DueDate("CA")));
        Assert.Equal("not-notified", h.Instance.Variables["filingKind"]!.GetValue<string>());
        Assert.DoesNotContain(h.Instance.OpenTasks, t => t.StepId == "intake-review");

        h.Complete("initiative-review", "escalate", Officer);
        h.CompleteOn("minister-initial", "send-notice", Minister, Date("2027-01-04"));
        Assert.Equal(Date("2027-02-18"), h.DueDate("CA")); // the notice's own 45 days
    }

    [Theory]
    [InlineData(false, false, 10_000_000, "critical-minerals", "voluntary-notification")] // a minority stake needs no filing; it may be notified voluntarily
    [InlineData(false, true, 10_000_000, "critical-minerals", "notification")] // ss. 11–12: control below the net-benefit threshold
    [InlineData(false, true, 2_000_000_000, "critical-minerals", "application-for-review")] // s. 14: control above the private-sector threshold
    [InlineData(true, false, 10_000_000, "critical-minerals", "pre-implementation-notification")] // the 2024 pre-implementation filing, once in force: a prescribed sector
    [InlineData(true, true, 10_000_000, "processing-and-refining", "pre-implementation-notification")]
    [InlineData(true, false, 10_000_000, "other", "voluntary-notification")] // not a prescribed sector
    [InlineData(true, true, 2_000_000_000, "critical-minerals", "application-for-review")] // a review stays a review
    public void TheFilingKindFollowsTheTransactionAndThePreImplementationRuleOnlyWhenAnAdministratorSwitchesItOn(
        bool ruleInForce, bool controlAcquired, double value, string sector, string kind)
    {
        var h = new PipelineHarness(definition: ruleInForce ? PreImplementationRuleInForce.Value : null);
        var filing = Filings.Create(controlAcquired: controlAcquired, value: value);
        filing["target"]!["sector"] = sector;

        h.Start(filing);

        Assert.Equal(kind, h.Instance.Variables["filingKind"]!.GetValue<string>());
    }

    [Fact]
    public void TheShippedPipelineLeavesThe2024PreImplementationFilingOff()
    {
        var rule = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Workflow("bilateral-screening")))!["variables"]!["preImplementationFiling"]!;
        Assert.False(rule["inForce"]!.GetValue<bool>());
    }

    /// <summary>The shipped definition as an administrator publishes it once s. 12.1 comes into force.</summary>
    private static readonly Lazy<CompiledDefinition> PreImplementationRuleInForce = new(() =>
    {
        var json = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Workflow("bilateral-screening")))!;
        json["variables"]!["preImplementationFiling"]!["inForce"] = true;
        var compiled = CompiledDefinition.Compile(json.ToJsonString(), out var problems);
        Assert.Empty(problems);
        return compiled!;
    });

    private static PipelineHarness Certified(System.Text.Json.Nodes.JsonObject filing)
    {
        var h = new PipelineHarness();
        h.Start(filing);
        h.Complete("intake-review", "certify", Officer);
        return h;
    }

    /// <summary>A case under review on Saturday 13 March 2027: ordered on 14 January, extended by notice on 27 February.</summary>
    private static PipelineHarness ToFullReview()
    {
        var h = Certified(Filings.HighRisk());
        h.Complete("partner-consultation", "no-comment", "mx-officer-1");
        h.Complete("host-review", "escalate", Officer);
        h.AdvanceDays(10);
        h.Complete("minister-initial", "make-order", Minister); // Thursday 14 January
        // 45 days from 14 January end on Sunday 28 February: met on Monday 1 March.
        Assert.Equal(Date("2027-03-01"), h.DueDate("CA"));
        h.AdvanceTo(Instant("2027-02-27T15:00:00Z"));
        h.Complete("full-review", "extend-by-notice", Officer);
        Assert.Equal(Date("2027-04-13"), h.DueDate("CA")); // 45 days from 27 February
        h.AdvanceTo(Instant("2027-03-13T15:00:00Z"));
        return h;
    }
}
