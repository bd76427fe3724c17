using System.Text.Json.Nodes;
using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Definitions;
using Screening.Workflows.Runtime;
using static Screening.Workflows.Tests.Pipeline.PipelineHarness;

namespace Screening.Workflows.Tests.Pipeline;

/// <summary>
/// Every path of the shipped pipeline (workflows/bilateral-screening.json), driven with a fake clock from
/// Monday 4 January 2027. Canada's clock counts calendar days; Mexico's counts business days on its
/// official rest days (1 Feb and 15 Mar 2027 are holidays).
/// </summary>
public class BilateralScreeningTests
{
    private static readonly string[] Intake = ["prepare", "automatic-completeness", "intake-review"];

    [Fact]
    public void LowRiskCanadianFilingIsReviewedByTheHostAloneAndCleared()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("CA"));
        h.AssertTrace(Intake);
        Assert.Equal("completeness", h.Instance.SubStatus);
        Assert.Equal(Instant("2027-01-20T05:00:00Z"), h.Task("intake-review").DueAt); // 15 calendar days, end of day in Toronto

        h.Complete("intake-review", "certify", "ca-officer-1");
        Assert.Equal("low", h.Instance.Variables["riskLevel"]!.GetValue<string>());
        Assert.Equal(1, h.Instance.Variables["riskScore"]!.GetValue<long>());
        Assert.Equal(Date("2027-02-18"), h.DueDate("CA")); // 45 calendar days after 4 Jan
        Assert.Equal(45, h.RemainingDays("CA"));
        Assert.Equal(Instant("2027-02-04T05:00:00Z"), h.Task("host-review").DueAt); // 30 calendar days
        Assert.Equal(Instant("2027-01-25T05:00:00Z"), h.Task("host-review").Task!.FollowUpAt); // follow up after 20
        Assert.DoesNotContain(h.Instance.OpenTasks, t => t.StepId == "partner-consultation");
        Assert.Single(h.Instance.Clocks);

        h.AdvanceDays(3);
        h.Complete("host-review", "recommend-clear", "ca-officer-2", "No concerns.");
        h.Complete("decision", "clear", "ca-dm-1");

        h.AssertTrace([.. Intake, "start-clocks", "start-clock-ca", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "review-join", "consider-route", "review-route", "decision", "record-cleared", "notify-decision", "end-decided"]);
        Assert.Equal(WorkflowStatus.Finished, h.Instance.Status);
        Assert.Equal("decided", h.Instance.EndStatus);
        Assert.Equal("cleared", h.Instance.Decision!.Outcome);
        Assert.Equal("ca-dm-1", h.Instance.Decision.DecidedBy);
        Assert.Equal(Instant("2027-01-07T15:00:00Z"), h.Instance.Decision.DecidedAt);
        Assert.Equal(ClockState.Completed, h.Clock("CA").State);
        Assert.Equal(Date("2027-02-18"), h.DueDate("CA"));
        Assert.Empty(h.Instance.Bookmarks);
        Assert.Empty(h.Sinks.Timers);
        Assert.Contains(h.Sinks.Outbox, n => n.Audience == "applicant" && n.StepId == "notify-decision");
    }

    [Fact]
    public void HighRiskFilingIsReviewedBilaterallyAndThePartnersCommentIsConsideredBeforeTheDecision()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");

        Assert.Equal("high", h.Instance.Variables["riskLevel"]!.GetValue<string>());
        Assert.Equal(6, h.Instance.Variables["riskScore"]!.GetValue<long>());
        var fired = h.Instance.Variables["firedRules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>());
        Assert.Equal(["state-investor-critical-minerals", "state-investor", "critical-mineral", "assets-abroad"], fired);

        var partner = h.Task("partner-consultation");
        Assert.Equal("MX", partner.Task!.Jurisdiction);
        Assert.Equal("officer", partner.Task.Role);
        Assert.Equal(Instant("2027-02-09T06:00:00Z"), partner.DueAt); // 35 calendar days, end of day in Mexico City
        Assert.Equal("CA", h.Task("host-review").Task!.Jurisdiction);
        Assert.Contains(h.Sinks.Outbox, n => n.StepId == "notify-partner" && n.Jurisdiction == "MX" && n.Audience == "officer");

        h.Complete("partner-consultation", "comment", "mx-officer-1", "La contraparte tiene vínculos con un comprador estatal.");
        h.Complete("host-review", "recommend-conditions", "ca-officer-1");
        h.Complete("consider-partner-comments", "considered", "ca-officer-1", "Offtake condition added in response to Mexico's comment.");
        h.Complete("decision", "clear", "ca-dm-1");

        h.AssertTrace([.. Intake, "start-clocks", "start-clock-ca", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "notify-partner", "partner-consultation", "review-join", "review-join", "consider-route", "consider-partner-comments",
            "review-route", "decision", "record-cleared", "notify-decision", "end-decided"]);
        Assert.Equal("cleared", h.Instance.Decision!.Outcome);
        Assert.Equal("comment", h.Instance.Variables["partnerConsultation"]!["outcome"]!.GetValue<string>());
        Assert.Equal("Offtake condition added in response to Mexico's comment.", h.Instance.Variables["partnerCommentsConsidered"]!["comment"]!.GetValue<string>());
    }

    [Fact]
    public void EscalationExtendsCanadasClockAndEndsInConditionsThatAreMonitoredUntilMet()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.Complete("partner-consultation", "no-comment", "mx-officer-1");
        h.Complete("host-review", "escalate", "ca-officer-1", "Could be injurious: s.25.2 notice.");

        Assert.Equal("extended-review", h.Instance.SubStatus);
        Assert.Equal(90, h.Clock("CA").Days);
        Assert.Equal(Date("2027-04-04"), h.DueDate("CA"));

        h.AdvanceDays(20);
        h.Complete("extended-review", "recommend-conditions", "ca-officer-2");
        var conditions = new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject { ["text"] = "Keep lithium offtake in North America", ["dueInDays"] = 180 },
                new JsonObject { ["text"] = "File an annual compliance report", ["dueInDays"] = 365 }),
        };
        h.Complete("decision", "clear-with-conditions", "ca-dm-1", "Cleared on undertakings.", conditions);

        Assert.Equal("cleared-with-conditions", h.Instance.Decision!.Outcome);
        Assert.Equal(
            [new DecisionCondition("Keep lithium offtake in North America", Date("2027-07-23")), new DecisionCondition("File an annual compliance report", Date("2028-01-24"))],
            h.Instance.Decision.Conditions);
        Assert.Equal("monitoring", h.Instance.SubStatus);
        Assert.Null(h.Instance.EndStatus);
        Assert.Equal(ClockState.Completed, h.Clock("CA").State);

        h.Complete("monitor-conditions", "conditions-met", "ca-officer-1");
        h.AssertTrace([.. Intake, "start-clocks", "start-clock-ca", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "notify-partner", "partner-consultation", "review-join", "review-join", "consider-route", "review-route", "extend-route",
            "extend-clock-ca", "extended-review", "decision", "record-conditions", "notify-monitoring", "monitor-conditions", "end-closed"]);
        Assert.Equal("closed", h.Instance.EndStatus);
    }

    [Fact]
    public void FullReviewEndsInAProhibition()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.Complete("partner-consultation", "no-comment", "mx-officer-1");
        h.Complete("host-review", "escalate", "ca-officer-1");
        h.Complete("extended-review", "escalate-full", "ca-officer-2");
        Assert.Equal(135, h.Clock("CA").Days);
        Assert.Equal(Date("2027-05-19"), h.DueDate("CA"));
        Assert.Equal("full-review", h.Instance.SubStatus);

        h.Complete("full-review", "recommend-prohibit", "ca-officer-2");
        h.Complete("decision", "prohibit", "ca-dm-1", "Injurious to national security.");

        h.AssertTrace([.. Intake, "start-clocks", "start-clock-ca", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "notify-partner", "partner-consultation", "review-join", "review-join", "consider-route", "review-route", "extend-route",
            "extend-clock-ca", "extended-review", "full-route", "extend-clock-full", "full-review", "decision", "record-prohibited",
            "notify-decision", "end-decided"]);
        Assert.Equal("prohibited", h.Instance.Decision!.Outcome);
        Assert.Equal("decided", h.Instance.EndStatus);
        Assert.Empty(h.Instance.Decision.Conditions);
    }

    [Fact]
    public void MexicanHostOrdersDivestitureOfAStateReservedMineralWithADeadline()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("MX"));
        Assert.Equal("MX", h.Task("intake-review").Task!.Jurisdiction);
        h.Complete("intake-review", "certify", "mx-officer-1");

        Assert.Contains("state-reserved-mineral-mexico", h.Instance.Variables["firedRules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        Assert.Equal(Date("2027-03-09"), h.DueDate("MX")); // 45 business days, skipping 1 Feb
        Assert.Equal(DayUnit.Business, h.Clock("MX").Unit);
        Assert.Equal("CA", h.Task("partner-consultation").Task!.Jurisdiction);
        Assert.Equal(Instant("2027-02-17T06:00:00Z"), h.Task("host-review").DueAt); // 30 business days: 16 Feb

        h.Complete("partner-consultation", "comment", "ca-officer-1", "Canada supports a divestiture.");
        h.Complete("host-review", "escalate", "mx-officer-1");
        Assert.Equal(45, h.Clock("MX").Days); // Mexico's period is not extended
        h.Complete("consider-partner-comments", "considered", "mx-officer-1");
        h.Complete("extended-review", "recommend-divestiture", "mx-officer-2");
        h.Complete("decision", "order-divestiture", "mx-dm-1", null,
            new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["text"] = "Desinvertir la concesión de litio", ["dueInDays"] = 120 }) });

        h.AssertTrace([.. Intake, "start-clocks", "start-clock-mx", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "notify-partner", "partner-consultation", "review-join", "review-join", "consider-route", "consider-partner-comments",
            "review-route", "extend-route", "extended-review", "decision", "record-divestiture", "notify-monitoring", "monitor-conditions"]);
        Assert.Equal("divestiture-ordered", h.Instance.Decision!.Outcome);
        Assert.Equal([new DecisionCondition("Desinvertir la concesión de litio", Date("2027-05-04"))], h.Instance.Decision.Conditions);
        Assert.DoesNotContain(h.Instance.Bookmarks, b => b.Kind == BookmarkKind.ClockExpiry); // decided: no deemed approval
    }

    [Fact]
    public void ARequestForInformationStopsCanadasClockUntilAnswered()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.AdvanceDays(10);
        Assert.Equal(35, h.RemainingDays("CA"));

        var request = h.RequestInformation("host-review", "Give the shareholder register.", 15, "ca-officer-1");
        Assert.Equal(ClockState.Stopped, h.Clock("CA").State);
        Assert.DoesNotContain(h.Instance.Bookmarks, b => b.Kind == BookmarkKind.ClockExpiry);
        var open = Assert.Single(h.Instance.OpenRequests);
        Assert.Equal("Give the shareholder register.", open.Request!.Question);
        Assert.Equal(Instant("2027-01-30T05:00:00Z"), open.DueAt); // 15 calendar days from 14 Jan

        h.AdvanceDays(20); // the applicant takes 20 days; the request is overdue, the applicant is reminded
        Assert.Equal(35, h.RemainingDays("CA"));
        Assert.Contains(h.Sinks.Outbox, n => n.Kind == NotificationKinds.RequestOverdue);
        Assert.Equal(Date("2027-03-10"), h.DueDate("CA")); // if resumed today: 3 Feb + 35

        h.Answer(request, "Register attached.");
        Assert.Equal(ClockState.Running, h.Clock("CA").State);
        Assert.Equal(Date("2027-03-10"), h.DueDate("CA")); // 18 Feb + the 20 stopped days
        var expiry = Assert.Single(h.Instance.Bookmarks, b => b.Kind == BookmarkKind.ClockExpiry);
        Assert.Equal(Instant("2027-03-11T05:00:00Z"), expiry.DueAt);
        Assert.Empty(h.Instance.OpenRequests);
        Assert.Equal("Register attached.", h.Instance.Variables["informationAnswers"]![0]!["answer"]!.GetValue<string>());
        Assert.Equal("host-review", h.Task("host-review").StepId); // the task stays open
        Assert.Contains(h.Instance.Journal, j => j.Type == JournalTypes.InformationRequest && j.Outcome == "answered");
    }

    [Fact]
    public void ARequestForInformationPostponesMexicosDeemedApprovalByTheStoppedBusinessDays()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", "mx-officer-1");
        h.AdvanceDays(14); // Monday 18 January: 10 business days consumed
        Assert.Equal(35, h.RemainingDays("MX"));

        var request = h.RequestInformation("host-review", "Entregue el contrato de suministro.", 30, "mx-officer-1");
        h.AdvanceDays(21); // Monday 8 February
        h.Answer(request, "Contrato adjunto.");
        Assert.Equal(Date("2027-03-30"), h.DueDate("MX")); // 35 business days from 8 Feb, skipping 15 Mar

        h.Advance(Instant("2027-03-31T05:59:00Z") - h.Time.GetUtcNow());
        Assert.Null(h.Instance.Decision);
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("deemed-approved", h.Instance.Decision!.Outcome);
        Assert.Equal(Instant("2027-03-31T06:00:00Z"), h.Instance.Decision.DecidedAt);
    }

    [Fact]
    public void PartnerSilenceForThirtyFiveDaysCountsAsNoComment()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.AdvanceDays(5);
        h.Complete("host-review", "recommend-clear", "ca-officer-1");
        Assert.Equal("partner-consultation", h.Task("partner-consultation").StepId);

        h.Advance(Instant("2027-02-09T05:59:00Z") - h.Time.GetUtcNow());
        Assert.Equal("partner-consultation", h.Task("partner-consultation").StepId); // not a minute early
        h.Advance(TimeSpan.FromMinutes(1));

        var closed = Assert.Single(h.Sinks.ClosedTasks, c => c.Task.StepId == "partner-consultation");
        Assert.Equal(("no-comment", WorkflowRunner.SystemActor, TaskCloseReason.Timeout), (closed.Outcome, closed.Actor, closed.Reason));
        var entry = Assert.Single(h.Instance.Journal, j => j.StepId == "partner-consultation");
        Assert.Equal("no-comment", entry.Outcome);
        Assert.Equal(WorkflowRunner.SystemActor, entry.Actor);
        Assert.Equal("decision", h.Task("decision").StepId);
        Assert.DoesNotContain("consider-partner-comments", h.Instance.Trace);
    }

    [Fact]
    public void MexicosSilenceForFortyFiveBusinessDaysIsADeemedApproval()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", "mx-officer-1");
        var expiry = Assert.Single(h.Instance.Bookmarks, b => b.Kind == BookmarkKind.ClockExpiry);
        Assert.Equal(Instant("2027-03-10T06:00:00Z"), expiry.DueAt); // end of 9 March in Mexico City

        h.Advance(Instant("2027-03-10T05:00:00Z") - h.Time.GetUtcNow());
        Assert.Null(h.Instance.Decision);
        Assert.Contains(h.Sinks.EscalatedTasks, t => t.StepId == "host-review"); // overdue since 16 Feb
        Assert.Contains(h.Sinks.Outbox, n => n.Audience == "decision-maker" && n.Jurisdiction == "MX" && n.Kind == NotificationKinds.TaskOverdue);

        h.AdvanceDays(1);
        h.AssertTrace([.. Intake, "start-clocks", "start-clock-mx", "triage", "assess-risk", "route-review", "review-split", "host-review",
            "deemed-approved", "notify-decision", "end-decided"]);
        Assert.Equal("deemed-approved", h.Instance.Decision!.Outcome);
        Assert.Equal(WorkflowRunner.SystemActor, h.Instance.Decision.DecidedBy);
        Assert.Equal("decided", h.Instance.EndStatus);
        Assert.Equal(ClockState.Expired, h.Clock("MX").State);
        Assert.Contains(h.Sinks.ClosedTasks, c => c.Task.StepId == "host-review" && c.Reason == TaskCloseReason.Cancelled);
        Assert.Empty(h.Instance.Bookmarks);
        Assert.Contains(h.Instance.Journal, j => j.Type == JournalTypes.ClockExpiry && j.StepId == "start-clock-mx");
    }

    [Fact]
    public void CanadasClockRunningOutIsNotAnApprovalButTellsTheOfficers()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.AdvanceDays(50);

        Assert.Null(h.Instance.Decision);
        Assert.Equal(ClockState.Expired, h.Clock("CA").State);
        Assert.Contains(h.Sinks.Outbox, n => n.Kind == NotificationKinds.ClockExpired && n.Jurisdiction == "CA");
        Assert.Equal("host-review", h.Task("host-review").StepId);
    }

    [Fact]
    public void WithdrawalCancelsEveryBranchAndEndsTheCase()
    {
        var h = new PipelineHarness();
        h.Start(Filings.HighRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        var hostTask = h.Task("host-review").Id;
        Assert.Equal(2, h.Instance.OpenTasks.Count());

        var result = h.Runner.RaiseEvent(h.Definition, h.Instance, "withdraw", "applicant-1");

        Assert.True(result.Succeeded);
        Assert.Equal("withdrawn", h.Instance.Trace[^1]);
        Assert.Equal("withdrawn", h.Instance.EndStatus);
        Assert.Null(h.Instance.Decision);
        Assert.Empty(h.Instance.Bookmarks);
        Assert.Empty(h.Sinks.OpenTasks);
        Assert.Empty(h.Sinks.Timers);
        Assert.Equal(ClockState.Completed, h.Clock("CA").State);
        Assert.Equal(ResumeStatus.Rejected, h.Runner.RaiseEvent(h.Definition, h.Instance, "withdraw", "applicant-1").Status);
        Assert.Equal(ResumeStatus.AlreadyResumed, h.Runner.Resume(h.Definition, h.Instance, hostTask, new ResumeInput("ca-officer-1", "recommend-clear")).Status);
    }

    [Fact]
    public void AssetsInBothCountriesMakeBothHostsAndTheMostRestrictiveDecisionWins()
    {
        var h = new PipelineHarness();
        h.Start(Filings.Create("CA", assetCountries: ["CA", "MX"]));
        h.Complete("intake-review", "certify", "ca-officer-1");
        Assert.Equal(Date("2027-02-18"), h.DueDate("CA"));
        Assert.Equal(Date("2027-03-09"), h.DueDate("MX"));
        Assert.Null(h.Clock("MX").ExpiryEvent); // a joint case is decided by both; Mexico's silence is not an approval of it

        h.Complete("joint-review-mx", "recommend-prohibit", "mx-officer-1");
        h.Complete("joint-review-ca", "recommend-clear", "ca-officer-1");
        h.Complete("joint-decision-ca", "clear", "ca-dm-1");
        h.Complete("joint-decision-mx", "prohibit", "mx-dm-1");

        h.AssertTrace([.. Intake, "start-clocks", "start-clock-joint-ca", "start-clock-joint-mx", "triage", "assess-risk", "route-review",
            "joint-split", "joint-review-ca", "joint-review-mx", "joint-join", "joint-join", "joint-decision-split", "joint-decision-ca",
            "joint-decision-mx", "joint-decision-join", "joint-decision-join", "joint-combine", "joint-route", "record-prohibited",
            "notify-decision", "end-decided"]);
        Assert.Equal("prohibited", h.Instance.Decision!.Outcome);
        Assert.All(h.Instance.Clocks, c => Assert.Equal(ClockState.Completed, c.State));
    }

    [Fact]
    public void JointConditionsFromBothHostsAreCombined()
    {
        var h = new PipelineHarness();
        h.Start(Filings.Create("MX", assetCountries: ["MX", "CA"]));
        h.Complete("intake-review", "certify", "mx-officer-1");
        h.Complete("joint-review-ca", "recommend-conditions", "ca-officer-1");
        h.Complete("joint-review-mx", "recommend-clear", "mx-officer-1");
        h.Complete("joint-decision-ca", "clear-with-conditions", "ca-dm-1", null,
            new JsonObject { ["conditions"] = new JsonArray(new JsonObject { ["text"] = "Canadian board seat", ["dueInDays"] = 30 }) });
        h.Complete("joint-decision-mx", "clear", "mx-dm-1");

        Assert.Equal("cleared-with-conditions", h.Instance.Decision!.Outcome);
        Assert.Equal([new DecisionCondition("Canadian board seat", Date("2027-02-03"))], h.Instance.Decision.Conditions);
    }

    [Fact]
    public void AnIncompleteFilingGetsADeficiencyNoticeAndContinuesWhenAnswered()
    {
        var h = new PipelineHarness();
        h.Start(Filings.Create(ultimateParent: null));
        h.AssertTrace("prepare", "automatic-completeness", "deficiency-notice");
        var request = Assert.Single(h.Instance.OpenRequests);
        Assert.StartsWith("Your filing is incomplete", request.Request!.Question, StringComparison.Ordinal);
        Assert.Equal(Instant("2027-02-04T05:00:00Z"), request.DueAt);
        Assert.Empty(h.Instance.Clocks);

        h.AdvanceDays(2);
        h.Answer(request.Id, "The ultimate parent is Aurora Group SA.");
        h.Complete("intake-review", "deficient", "ca-officer-1", "Give the shareholder register too.");
        Assert.Equal("Give the shareholder register too.", Assert.Single(h.Instance.OpenRequests).Request!.Question);
        h.Answer(h.Instance.OpenRequests.Single().Id, "Register attached.");
        h.Complete("intake-review", "certify", "ca-officer-1");

        h.AssertTrace("prepare", "automatic-completeness", "deficiency-notice", "intake-review", "deficiency-notice", "intake-review",
            "start-clocks", "start-clock-ca", "triage", "assess-risk", "route-review", "review-split", "host-review");
        Assert.Equal(PipelineHarness.Date("2027-01-06"), h.Clock("CA").StartedOn); // the clock runs from certification
    }

    [Fact]
    public void AnUnansweredDeficiencyNoticeLapsesTheFiling()
    {
        var h = new PipelineHarness();
        h.Start(Filings.Create(ultimateParent: null));
        h.AdvanceDays(31);

        h.AssertTrace("prepare", "automatic-completeness", "deficiency-notice", "lapsed");
        Assert.Equal("closed", h.Instance.EndStatus);
        Assert.Null(h.Instance.Decision);
        Assert.Contains(h.Sinks.ClosedRequests, r => r.Reason == RequestCloseReason.Expired);
    }

    [Fact]
    public void WithoutADeficiencyNoticeWithinFifteenDaysTheFilingIsDeemedComplete()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("CA"));
        h.AdvanceDays(17);

        var entry = Assert.Single(h.Instance.Journal, j => j.StepId == "intake-review");
        Assert.Equal(("certify", WorkflowRunner.SystemActor), (entry.Outcome, entry.Actor));
        Assert.Equal(Date("2027-01-20"), h.Clock("CA").StartedOn);
        Assert.Equal(Date("2027-03-06"), h.DueDate("CA"));
    }

    [Fact]
    public void FourEyesStopsAnOfficialFromDecidingACaseTheyReviewed()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("CA"));
        h.Complete("intake-review", "certify", "ca-officer-1");
        h.Complete("host-review", "recommend-clear", "ca-dual-1");
        Assert.Contains("ca-dual-1", h.Task("decision").Task!.ExcludedActors);

        var refused = h.Runner.Resume(h.Definition, h.Instance, h.Task("decision").Id, new ResumeInput("ca-dual-1", "clear"));

        Assert.Equal(ResumeStatus.Rejected, refused.Status);
        Assert.Contains("Four eyes", refused.Message, StringComparison.Ordinal);
        Assert.Null(h.Instance.Decision);
        h.Complete("decision", "clear", "ca-dm-1");
        Assert.Equal("cleared", h.Instance.Decision!.Outcome);
    }
}
