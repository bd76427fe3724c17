using Screening.Workflows.Calendars;
using Screening.Workflows.Clocks;
using Screening.Workflows.Runtime;
using static Screening.Workflows.Tests.Pipeline.PipelineHarness;

namespace Screening.Workflows.Tests.Pipeline;

/// <summary>
/// The shipped pipeline under Mexico's LIE art. 28 and LFPA arts. 17-A and 28, with dates worked out by hand on
/// the calendar: Monday to Friday, less the Ley Federal del Trabajo art. 74 rest days (2027: 1 January, 1 February,
/// 15 March, 1 May, 16 September, 15 November, 25 December) and any day the agency declares.
/// </summary>
public class MexicoScenarioTests
{
    private const string Officer = "mx-officer-1";
    private const string Commission = "mx-cnie-1";

    [Fact]
    public void TheFortyFiveBusinessDaysCountFromTheBusinessDayAfterTheFiling()
    {
        var h = new PipelineHarness(); // filed Monday 4 January 2027
        h.Start(Filings.LowRisk("MX"));

        // Day 1 is Tuesday 5 January; 1 February is a rest day; day 45 is Tuesday 9 March 2027.
        var clock = h.Clock("MX");
        Assert.Equal((Date("2027-01-04"), Date("2027-03-09"), DayUnit.Business), (clock.StartedOn, h.DueDate("MX"), clock.Unit));
    }

    [Theory]
    [InlineData("2027-01-09T16:00:00Z", "2027-01-11", "2027-03-17")] // a Saturday: made on Monday 11 January
    [InlineData("2027-02-01T16:00:00Z", "2027-02-02", "2027-04-07")] // Constitution Day: made on Tuesday 2 February
    [InlineData("2027-12-06T16:00:00Z", "2027-12-06", "2028-02-08")] // across the year end (7 February 2028 is a rest day)
    [InlineData("2030-09-02T16:00:00Z", "2030-09-02", "2030-11-06")] // 1 October 2030, an inauguration, is a rest day
    public void AFilingOnARestDayCountsAsMadeOnTheNextBusinessDay(string filedAt, string madeOn, string dueOn)
    {
        var h = new PipelineHarness(Instant(filedAt));
        h.Start(Filings.LowRisk("MX"));

        Assert.Equal((Date(madeOn), Date(dueOn)), (h.Clock("MX").StartedOn, h.DueDate("MX")));
    }

    [Fact]
    public void TheOnePrevencionInTheFirstThirdSuspendsThePeriodUntilTheBusinessDayAfterTheAnswer()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.AdvanceDays(4); // Friday 8 January: the fourth business day, which counts

        h.Complete("intake-review", "deficient", Officer);
        Assert.Equal((ClockState.Stopped, 4), (h.Clock("MX").State, h.Clock("MX").ConsumedBeforeSegment));
        h.AdvanceDays(6); // the answer comes on Thursday 14 January
        h.Answer(h.Instance.OpenRequests.Single().Id, "Aquí está el registro de accionistas.");

        // 41 business days from Friday 15 January (15 March a rest day): Tuesday 16 March 2027.
        Assert.Equal((ClockState.Running, Date("2027-03-16")), (h.Clock("MX").State, h.DueDate("MX")));
        var prevencion = h.Instance.Variables["deficiency"]!;
        Assert.NotNull(prevencion["answeredAt"]);
    }

    [Fact]
    public void ALaterRequestForInformationStopsNothing()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.AdvanceDays(4);
        h.Complete("intake-review", "deficient", Officer);
        h.AdvanceDays(6);
        h.Answer(h.Instance.OpenRequests.Single().Id, "Registro adjunto.");
        h.Complete("intake-review", "certify", Officer);
        h.AdvanceDays(6);

        h.RequestInformation("host-review", "¿Quién adquiere la producción?", 10, Officer);

        Assert.Equal((ClockState.Running, Date("2027-03-16"), 1), (h.Clock("MX").State, h.DueDate("MX"), h.Clock("MX").StopCount));
        Assert.Contains(h.Instance.Journal, j => j.Note?.Contains("runs on", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void ARequestAfterTheFirstFifteenBusinessDaysStopsNothingEvenIfNoneCameBefore()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", Officer);
        h.AdvanceDays(23); // Wednesday 27 January: the 17th business day

        h.RequestInformation("host-review", "¿Quién adquiere la producción?", 10, Officer);

        Assert.Equal((ClockState.Running, Date("2027-03-09"), 0), (h.Clock("MX").State, h.DueDate("MX"), h.Clock("MX").StopCount));
    }

    [Fact]
    public void HolyWeekCountsOnlyWhenTheAgencyDeclaresIt()
    {
        var plain = new PipelineHarness(Instant("2027-02-08T16:00:00Z"));
        plain.Start(Filings.LowRisk("MX"));
        var declared = new PipelineHarness(Instant("2027-02-08T16:00:00Z"));
        var mexico = declared.Calendar("MX");
        declared.Calendars.Set(mexico.With(holidays: [.. mexico.Named,
            new Holiday(Date("2027-03-25"), "Jueves Santo", "Acuerdo de días inhábiles, DOF", HolidayKind.NonBusiness),
            new Holiday(Date("2027-03-26"), "Viernes Santo", "Acuerdo de días inhábiles, DOF", HolidayKind.NonBusiness)]));
        declared.Start(Filings.LowRisk("MX"));

        Assert.Equal(Date("2027-04-13"), plain.DueDate("MX"));
        Assert.Equal(Date("2027-04-15"), declared.DueDate("MX"));
    }

    [Fact]
    public void TheCommissionResolvesWithItsAuthorityAndBasis()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", Officer);
        h.Complete("host-review", "recommend-clear", Officer);

        h.Complete("cnie-resolution", "approve", Commission);

        var decision = h.Instance.Decision!;
        Assert.Equal(("cleared", "cnie", "LIE art. 28"), (decision.Outcome, decision.Authority, decision.Basis));
        Assert.Equal((ClockState.Completed, "decided"), (h.Clock("MX").State, h.Instance.EndStatus));
    }

    [Fact]
    public void ADecisionWithRequirementsCannotBeGivenWithoutARequirementAndItsReasons()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", Officer);
        h.Complete("host-review", "recommend-conditions", Officer);
        var task = h.Task("cnie-resolution").Id;

        var bare = h.Runner.Resume(h.Definition, h.Instance, task, new ResumeInput(Commission, "approve-with-requirements", "Razones."));
        var silent = h.Runner.Resume(h.Definition, h.Instance, task, new ResumeInput(Commission, "approve-with-requirements", null,
            new System.Text.Json.Nodes.JsonObject { ["conditions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["text"] = "Reportar cada año.", ["dueInDays"] = 365 }) }));

        Assert.Equal((Refusal.InvalidInput, "conditions"), (bare.Refusal, bare.Field));
        Assert.Equal((Refusal.InvalidInput, "comment"), (silent.Refusal, silent.Field));
        Assert.Null(h.Instance.Decision);
        Assert.Equal(task, h.Task("cnie-resolution").Id);
    }

    [Fact]
    public void SilenceForFortyFiveBusinessDaysIsADeemedApproval()
    {
        var h = new PipelineHarness();
        h.Start(Filings.LowRisk("MX"));
        h.Complete("intake-review", "certify", Officer);

        h.AdvanceTo(Instant("2027-03-10T07:00:00Z"));

        var decision = h.Instance.Decision!;
        Assert.Equal(("deemed-approved", "operation-of-law"), (decision.Outcome, decision.Authority));
        Assert.Equal(Instant("2027-03-10T06:00:00Z"), decision.DecidedAt); // the end of 9 March in Mexico City
    }

    [Fact]
    public void ALithiumMineInMexicoIsFlaggedAsAnActivityReservedToTheState()
    {
        var h = new PipelineHarness();

        h.Start(Filings.Create("MX", minerals: ["lithium"]));
        h.Complete("intake-review", "certify", Officer);

        Assert.True(h.Instance.Variables["reservedActivity"]!.GetValue<bool>());
        Assert.Contains(h.Sinks.Outbox, n => n.StepId == "notify-reserved-activity" && n.Audience == "applicant");
        Assert.Contains("state-reserved-mineral-mexico", h.Instance.Variables["firedRules"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
    }
}
