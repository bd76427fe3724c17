using Screening.Workflows.Definitions;
using Screening.Workflows.Tests.Pipeline;

namespace Screening.Workflows.Tests.Steps;

/// <summary>
/// Every text a definition declares has one shape, English with French and Spanish beside it (a missing language
/// is a warning, not a problem), and a definition names its own roles, decisions and end statuses, held to the
/// words its host gives.
/// </summary>
public class TextsAndWordsTests
{
    private static string Task(string title, string extra = "") => $$"""
        {
          "key": "texts", "name": "Texts", "start": "review"{{extra}},
          "steps": [
            { "id": "review", "type": "human-task", "name": { "en": "Review", "fr": "Examen", "es": "Revisión" },
              "labels": { "clear": { "en": "Clear", "fr": "Autoriser", "es": "Autorizar" } },
              "settings": { "role": "officer", "jurisdiction": "MX", "title": {{title}} },
              "outcomes": { "clear": "finish" } },
            { "id": "finish", "type": "end", "settings": { "status": "closed" } }
          ]
        }
        """;

    [Fact]
    public void ATaskCarriesItsTitleAndOutcomeLabelsInEveryLanguageGiven()
    {
        var compiled = CompiledDefinition.Compile(Task("""{ "en": "Review the filing", "fr": "Examiner le dépôt", "es": "Revisar la solicitud" }"""), out var problems);
        Assert.Empty(problems);
        Assert.Empty(compiled!.Warnings);
        var h = new PipelineHarness(definition: compiled);
        h.StartWith([]);

        var task = h.Task("review").Task!;

        Assert.Equal(("Review the filing", "Revisar la solicitud", "Examiner le dépôt"), (task.Title, task.Titles!.In("es"), task.Titles.In("fr")));
        Assert.Equal("Autorizar", task.OutcomeLabels!["clear"].In("es"));
        Assert.Equal("Revisión", compiled.Step("review").Names!.In("es"));
    }

    [Fact]
    public void ATextMissingALanguageIsAWarningAndReadersFallBackToEnglish()
    {
        var compiled = CompiledDefinition.Compile(Task("""{ "en": "Review the filing", "fr": "Examiner le dépôt" }"""), out var problems);

        Assert.Empty(problems);
        var warning = Assert.Single(compiled!.Warnings);
        Assert.Equal(("$.steps[0].settings.title", ProblemCodes.MissingTranslation), (warning.Path, warning.Code));
        Assert.Contains("es", warning.Message, StringComparison.Ordinal);
        var h = new PipelineHarness(definition: compiled);
        h.StartWith([]);
        Assert.Equal("Review the filing", h.Task("review").Task!.Titles!.In("es"));
    }

    [Fact]
    public void APlainStringIsEnglishAndWarnedAboutForTheOtherLanguages()
    {
        var compiled = CompiledDefinition.Compile(Task("\"Review the filing\""), out var problems);

        Assert.Empty(problems);
        Assert.Contains(compiled!.Warnings, w => w.Path == "$.steps[0].settings.title" && w.Message.Contains("fr, es", StringComparison.Ordinal));
    }

    [Fact]
    public void ATaskWithoutATitleIsCalledByItsStepsNameInEachLanguage()
    {
        var compiled = CompiledDefinition.Compile(Task("null").Replace("\"title\": null", "\"result\": \"review\"", StringComparison.Ordinal), out var problems);

        Assert.Empty(problems);
        Assert.Empty(compiled!.Warnings);
        var h = new PipelineHarness(definition: compiled);
        h.StartWith([]);
        var task = h.Task("review").Task!;
        Assert.Equal(("Review", "Examen", "Revisión"), (task.Title, task.Titles!.In("fr"), task.Titles.In("es")));
    }

    [Fact]
    public void AnOutcomeWithoutALabelIsAWarning()
    {
        var json = Task("\"Review\"").Replace("\"clear\": \"finish\" }", "\"clear\": \"finish\", \"refuse\": \"finish\" }", StringComparison.Ordinal);
        var compiled = CompiledDefinition.Compile(json, out var problems);

        Assert.Empty(problems);
        var warning = Assert.Single(compiled!.Warnings, w => w.Path == "$.steps[0].labels.refuse");
        Assert.Equal(ProblemCodes.MissingTranslation, warning.Code);
        Assert.DoesNotContain(compiled.Warnings, w => w.Path == "$.steps[0].labels.clear");
    }

    [Fact]
    public void ATextWithoutEnglishIsAProblem()
    {
        CompiledDefinition.Compile(Task("""{ "fr": "Examiner", "es": "Revisar" }"""), out var problems);

        Assert.Equal(("$.steps[0].settings.title", ProblemCodes.MissingField), (Assert.Single(problems).Path, problems[0].Code));
    }

    [Fact]
    public void ATaskForARoleTheDefinitionDoesNotDeclareIsAProblem()
    {
        CompiledDefinition.Compile(Task("\"Review\"", """, "roles": ["decision-maker"]"""), out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal("$.steps[0].settings.role", problem.Path);
        Assert.Contains("'officer'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADeclaredWordTheHostDoesNotKnowIsAProblem()
    {
        CompiledDefinition.Compile(Task("\"Review\"", """, "roles": ["officer", "minister"], "decisions": ["cleared", "approved-ish"]"""), out var problems, vocabulary: ScreeningWords.Vocabulary);

        Assert.Equal(["$.decisions[1]", "$.roles[1]"], problems.Select(p => p.Path).Order());
    }

    [Fact]
    public void ABindingMustNameAVariableOrAnEvent()
    {
        CompiledDefinition.Compile(Task("\"Review\"", """, "variables": { "risk": null }, "bindings": { "riskLevel": "risk", "withdraw": "withdrawal" }"""), out var problems);

        var problem = Assert.Single(problems);
        Assert.Equal(("$.bindings.withdraw", ProblemCodes.DanglingConnection), (problem.Path, problem.Code));
    }
}
