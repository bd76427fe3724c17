using System.Net;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Reviews;

/// <summary>
/// What the server says when it refuses a task command is in the caller's language, as the workspace shows it:
/// an official working in Spanish or French never reads the English message. Without a language, English.
/// </summary>
public sealed class TaskMessagesLanguageTests(ScreeningFactory factory) : IClassFixture<ScreeningFactory>
{
    private readonly CaseSteps _steps = new(factory);

    private static Dictionary<string, string> In(string language) => new() { ["Accept-Language"] = language };

    [Fact]
    public async Task AClaimRefusedBecauseAnotherOfficialHoldsTheTaskIsSaidInTheCallersLanguage()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskCa());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerCa, id, "intake-review");
        await factory.As(ScreeningFactory.OfficerCa).Post($"/api/tasks/{taskId}/claim").Ok();
        var other = factory.As(ScreeningFactory.OfficerCa2);

        var french = (await other.RawPost($"/api/tasks/{taskId}/claim", headers: In("fr-CA"))).AssertProblem(HttpStatusCode.Conflict);
        var english = (await other.RawPost($"/api/tasks/{taskId}/claim")).AssertProblem(HttpStatusCode.Conflict);
        var mine = (await factory.As(ScreeningFactory.OfficerCa).RawPost($"/api/tasks/{taskId}/claim", headers: In("fr"))).AssertProblem(HttpStatusCode.Conflict);
        var notHeld = (await other.RawPost($"/api/tasks/{taskId}/complete", new { outcome = "certify" }, In("fr"))).AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal("Un autre fonctionnaire a déjà pris cette tâche.", french.S("detail"));
        Assert.Equal("Another official has already claimed this task.", english.S("detail"));
        Assert.Equal("Vous détenez déjà cette tâche.", mine.S("detail"));
        Assert.Equal("Un autre fonctionnaire détient cette tâche.", notHeld.S("detail"));
        Assert.Equal(await factory.UserIdAsync(ScreeningFactory.OfficerCa), (await factory.StoredTaskAsync(taskId)).Assignee);
    }

    [Fact]
    public async Task TheFieldsOfARefusedCompletionAreExplainedInSpanishToAMexicanOfficer()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.LowRiskMx());
        var taskId = await _steps.TaskIdAsync(ScreeningFactory.OfficerMx, id, "intake-review");
        var officer = factory.As(ScreeningFactory.OfficerMx);
        await officer.Post($"/api/tasks/{taskId}/claim").Ok();

        var refused = (await officer.RawPost($"/api/tasks/{taskId}/complete",
            new { outcome = "approve", comment = new string('x', 20_001), conditions = new[] { new { text = "", dueInDays = 0 } } }, In("es-MX")))
            .AssertValidation("$.outcome", "$.comment", "$.conditions[0].text", "$.conditions[0].dueInDays");

        Assert.StartsWith("Elija uno de los resultados de esta tarea: ", refused["$.outcome"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Como máximo 20000 caracteres.", refused["$.comment"]![0]!.GetValue<string>());
        Assert.Equal("Este campo es obligatorio.", refused["$.conditions[0].text"]![0]!.GetValue<string>());
        Assert.Equal("Una condición vence en 1 a 3650 días.", refused["$.conditions[0].dueInDays"]![0]!.GetValue<string>());
        Assert.Equal("claimed", (await factory.StoredTaskAsync(taskId)).Status);
    }

    [Fact]
    public async Task AnOutcomeWithoutItsConditionsOrReasonsIsRefusedInTheDecisionMakersLanguage()
    {
        var id = await _steps.Scenario.FileAsync(Scenario.JointMx(), ScreeningFactory.OtherApplicant);
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "intake-review", "certify");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerCa, id, "joint-review-ca", "recommend-clear");
        await _steps.Scenario.CompleteAsync(ScreeningFactory.OfficerMx, id, "joint-review-mx", "recommend-conditions");
        var resolution = (await _steps.Scenario.TaskAsync(ScreeningFactory.DecisionMx, id, "cnie-resolution")).S("id");
        var decider = factory.As(ScreeningFactory.DecisionMx);
        await decider.Post($"/api/tasks/{resolution}/claim").Ok();

        var noConditions = (await decider.RawPost($"/api/tasks/{resolution}/complete", new { outcome = "approve-with-requirements", comment = "Riesgo de suministro." }, In("es")))
            .AssertValidation("$.conditions");
        var noReasons = (await decider.RawPost($"/api/tasks/{resolution}/complete",
            new { outcome = "approve-with-requirements", conditions = new[] { new { text = "Mantener la producción en América del Norte", dueInDays = 365 } } }, In("es")))
            .AssertValidation("$.comment");

        Assert.Equal("Este resultado necesita al menos una condición, cada una con su plazo.", noConditions["$.conditions"]![0]!.GetValue<string>());
        Assert.Equal("Este resultado necesita sus motivos en el comentario.", noReasons["$.comment"]![0]!.GetValue<string>());
        Assert.Equal("claimed", (await factory.StoredTaskAsync(resolution)).Status);
    }
}
