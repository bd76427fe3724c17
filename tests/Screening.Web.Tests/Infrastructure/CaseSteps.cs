using System.Text.Json.Nodes;

namespace Screening.Web.Tests.Infrastructure;

/// <summary>The steps that bring a case to the state a test starts from: filed, certified, a task held, a request sent.</summary>
public sealed class CaseSteps(ScreeningFactory factory)
{
    private readonly Scenario _scenario = new(factory);

    public Scenario Scenario => _scenario;

    /// <summary>Files a case and has the host's first officer certify it; returns the case id.</summary>
    public async Task<string> FileCertifiedAsync(JsonObject filing, string applicant = ScreeningFactory.Applicant)
    {
        var id = await _scenario.FileAsync(filing, applicant);
        var host = filing["target"]!["jurisdiction"]!.GetValue<string>();
        await _scenario.CompleteAsync(host == "MX" ? ScreeningFactory.OfficerMx : ScreeningFactory.OfficerCa, id, "intake-review", "certify");
        return id;
    }

    /// <summary>Claims the available task of a step for an official; returns the task id.</summary>
    public async Task<string> ClaimAsync(string official, string caseId, string step)
    {
        var task = await _scenario.TaskAsync(official, caseId, step);
        await factory.As(official).Post($"/api/tasks/{task.S("id")}/claim").Ok();
        return task.S("id");
    }

    /// <summary>The id of an available task of a step, without claiming it.</summary>
    public async Task<string> TaskIdAsync(string official, string caseId, string step) => (await _scenario.TaskAsync(official, caseId, step)).S("id");

    /// <summary>A certified low-risk Canadian case whose host review the officer holds and used to ask the applicant a question.</summary>
    public async Task<(string CaseId, string TaskId, string RequestId)> AwaitingApplicantAsync(string question, string applicant = ScreeningFactory.Applicant)
    {
        var id = await FileCertifiedAsync(Scenario.LowRiskCa(), applicant);
        var taskId = await ClaimAsync(ScreeningFactory.OfficerCa, id, "host-review");
        var sent = await factory.As(ScreeningFactory.OfficerCa)
            .Post($"/api/tasks/{taskId}/request-information", new { question, dueInDays = 30 }).Ok();
        return (id, taskId, sent.S("requestId"));
    }

    /// <summary>Brings a low-risk Mexican case to the CNIE's approval (a Canadian one would wait out its 45 days).</summary>
    public async Task<string> ClearedAsync(string applicant = ScreeningFactory.Applicant)
    {
        var id = await FileCertifiedAsync(Scenario.LowRiskMx(), applicant);
        await _scenario.CompleteAsync(ScreeningFactory.OfficerMx2, id, "host-review", "recommend-clear");
        var decided = await _scenario.CompleteAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution", "approve");
        Assert.Equal("completed", decided.S("status"));
        return id;
    }
}
