using System.Diagnostics;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Screening.Web.Tests.Hosting;

/// <summary>
/// The OpenAPI document is what integrators generate clients from: it must describe the real contract
/// (security, errors, types, the filing) and pass a standard linter without errors.
/// </summary>
public sealed class OpenApiDocumentTests(ScreeningFactory factory, ITestOutputHelper output) : IClassFixture<ScreeningFactory>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private async Task<JsonObject> DocumentAsync()
    {
        var response = await factory.Anonymous().GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in Methods
        where path.Value![method] is JsonObject
        select (path.Key, method, path.Value![method]!.AsObject());

    [Fact]
    public async Task TheDocumentDeclaresBearerAndCookieSchemesAndEachOperationRequiresWhatItsEndpointDoes()
    {
        var document = await DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!.AsObject();

        Assert.Equal("bearer", schemes["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.Equal("cookie", schemes["Cookie"]!["in"]!.GetValue<string>());
        var operations = Operations(document).ToDictionary(o => $"{o.Method} {o.Path}", o => o.Operation);
        Assert.Contains(operations["post /api/cases"]["security"]!.AsArray(), r => r!["Bearer"] is not null);
        Assert.DoesNotContain(operations["post /api/auth/login"]["security"]?.AsArray() ?? [], r => r!["Bearer"] is not null);
        Assert.DoesNotContain(operations["get /api/reference-data"]["security"]?.AsArray() ?? [], r => r!["Bearer"] is not null);
        Assert.True(operations["post /api/cases"]["responses"]!["401"] is not null);
        Assert.True(operations["get /api/reference-data"]["responses"]!["401"] is null);
    }

    [Fact]
    public async Task EveryApiOperationHasAnIdASummaryTagsAndProblemResponses()
    {
        var document = await DocumentAsync();
        var failures = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(document).Where(o => o.Path.StartsWith("/api", StringComparison.Ordinal)))
        {
            var name = $"{method} {path}";
            if (operation["operationId"]?.GetValue<string>() is not { Length: > 0 } id || !ids.Add(id))
            {
                failures.Add($"{name}: no operationId, or one used twice");
            }

            if (operation["summary"]?.GetValue<string>() is not { Length: > 0 } summary || summary.StartsWith($"{method.ToUpperInvariant()} /", StringComparison.Ordinal))
            {
                failures.Add($"{name}: no summary of its own");
            }

            if (operation["tags"] is not JsonArray { Count: > 0 })
            {
                failures.Add($"{name}: no tags");
            }

            var problems = operation["responses"]!.AsObject()
                .Where(r => (r.Key.StartsWith('4') || r.Key == "default") && r.Value!["content"]?["application/problem+json"] is not null)
                .Select(r => r.Key).ToList();
            if (problems.Count == 0)
            {
                failures.Add($"{name}: no problem response");
            }

            if (path.Contains('{', StringComparison.Ordinal) && !problems.Contains("404"))
            {
                failures.Add($"{name}: a route with an id and no 404");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var tags = document["tags"]!.AsArray();
        Assert.All(tags, t => Assert.False(string.IsNullOrWhiteSpace(t!["description"]?.GetValue<string>()), t!.ToJsonString()));
        var validation = document["components"]!["schemas"]!["HttpValidationProblemDetails"]!;
        Assert.Equal("array", validation["properties"]!["errors"]!["additionalProperties"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubmittingACaseDocumentsItsIdempotencyKeyAndTheLocationOfTheNewCase()
    {
        var document = await DocumentAsync();
        var submit = document["paths"]!["/api/cases"]!["post"]!;

        Assert.Contains(submit["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "Idempotency-Key" && p["in"]!.GetValue<string>() == "header");
        Assert.NotNull(submit["responses"]!["201"]!["headers"]!["Location"]);
        Assert.NotNull(submit["responses"]!["409"]);
        Assert.NotNull(submit["responses"]!["413"]);
    }

    [Fact]
    public async Task SchemasTypeNumbersAsNumbersAndInstantsAsDateTimes()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var failures = new List<string>();
        foreach (var node in Descendants(document))
        {
            if (node["type"] is JsonArray types)
            {
                var names = types.Select(t => t!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
                if (names.Contains("string") && (names.Contains("integer") || names.Contains("number")))
                {
                    failures.Add(node.GetPath());
                }
            }
        }

        Assert.True(failures.Count == 0, "Typed as a number or a string:\n" + string.Join("\n", failures));
        var caseView = schemas["CaseView"]!["properties"]!;
        Assert.Equal("string", caseView["reference"]!["type"]!.GetValue<string>());
        Assert.Equal("date-time", caseView["submittedAt"]!["format"]!.GetValue<string>());
        Assert.Equal("integer", schemas["CaseClockView"]!["properties"]!["remainingDays"]!["type"]!.GetValue<string>());
        Assert.NotNull(schemas["AdminClockView"]);
        Assert.Equal(["submitted", "in-review", "awaiting-applicant", "decided", "withdrawn", "closed"], Strings(caseView["status"]!["enum"]));
        Assert.Contains("deemed-approved", Strings(schemas["DecisionView"]!["properties"]!["outcome"]!["enum"]));
        Assert.Contains("calendar-holiday-rolling", Strings(schemas["CaseClockView"]!["properties"]!["unit"]!["enum"]));
        var tasks = document["paths"]!["/api/tasks"]!["get"]!["parameters"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "scope")!;
        Assert.Equal(["available", "mine"], Strings(tasks["schema"]!["enum"]));
    }

    [Fact]
    public async Task TheFilingBodyIsDescribedWithItsEnumsAndPatterns()
    {
        var document = await DocumentAsync();
        var submit = document["paths"]!["/api/cases"]!["post"]!;
        Assert.Equal("#/components/schemas/Filing", submit["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        var schemas = document["components"]!["schemas"]!;
        var filing = schemas["Filing"]!;
        Assert.Equal(["investor", "target", "transaction"], Strings(filing["required"]).Order(StringComparer.Ordinal));
        Assert.False(filing["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(["assetCountries", "jurisdiction", "name", "sector"], Strings(schemas["FilingTarget"]!["required"]).Order(StringComparer.Ordinal));
        Assert.Equal(200, schemas["FilingInvestor"]!["properties"]!["name"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(50, schemas["FilingTarget"]!["properties"]!["minerals"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(["CA", "MX"], Strings(schemas["FilingTarget"]!["properties"]!["jurisdiction"]!["enum"]));
        Assert.Equal("^[A-Z]{2}$", schemas["FilingInvestor"]!["properties"]!["country"]!["pattern"]!.GetValue<string>());
        Assert.Contains("joint-venture", Strings(schemas["FilingTransaction"]!["properties"]!["type"]!["enum"]));
        Assert.Equal("date", schemas["FilingTransaction"]!["properties"]!["plannedClosing"]!["format"]!.GetValue<string>());
    }

    [Fact]
    public async Task DocumentsAreDescribedAsAMultipartUploadAndABinaryDownloadWithTheirLimits()
    {
        var document = await DocumentAsync();
        var collection = document["paths"]!["/api/cases/{id}/documents"]!;
        var upload = collection["post"]!;

        var form = upload["requestBody"]!["content"]!["multipart/form-data"]!["schema"]!;
        Assert.Equal("binary", form["properties"]!["file"]!["format"]!.GetValue<string>());
        Assert.Equal(["applicant", "government", "jurisdiction"], Strings(form["properties"]!["classification"]!["enum"]));
        Assert.Equal(["file"], Strings(form["required"]));
        Assert.Contains("25 MB", upload["responses"]!["413"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("PDF", upload["responses"]!["415"]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(upload["responses"]!["201"]!["headers"]!["Location"]);
        Assert.Equal("Documents", upload["tags"]![0]!.GetValue<string>());
        Assert.NotNull(collection["get"]!["responses"]!["200"]!["content"]!["application/json"]);
        var download = document["paths"]!["/api/cases/{id}/documents/{documentId}"]!["get"]!;
        var content = download["responses"]!["200"]!["content"]!.AsObject();
        Assert.Contains("application/pdf", content.Select(c => c.Key));
        Assert.Equal("binary", content["application/pdf"]!["schema"]!["format"]!.GetValue<string>());
        Assert.NotNull(download["responses"]!["404"]);
    }

    /// <summary>
    /// Free-form JSON on purpose, each for a reason: an audit entry's data differs with its action; a definition's
    /// components are the shipped JSON schema as it is, where a variable's default and a setting that takes a literal
    /// or an '=' expression are any JSON (each step type's settings are typed by the schema's if/then).
    /// </summary>
    private static readonly string[] FreeFormOnPurpose =
        ["AuditEntryView.data", "WorkflowDefinition.variables", "WorkflowDefinitionStep.settings", "WorkflowDefinitionPeriod.days", "WorkflowDefinitionPeriod.calendar"];

    [Fact]
    public async Task NoOperationTakesOrAnswersAnUntypedObject()
    {
        var document = await DocumentAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var failures = new List<string>();
        foreach (var (path, method, operation) in Operations(document))
        {
            var bodies = (operation["requestBody"]?["content"]?.AsObject() ?? []).Select(c => ($"request {c.Key}", c.Value!["schema"]))
                .Concat(operation["responses"]!.AsObject().SelectMany(r => (r.Value!["content"]?.AsObject() ?? []).Select(c => ($"{r.Key} {c.Key}", c.Value!["schema"]))));
            foreach (var (what, schema) in bodies)
            {
                if (Untyped(schema, schemas) is { } why)
                {
                    failures.Add($"{method} {path} {what}: {why}");
                }
            }
        }

        // Nowhere in a component is raw JSON left for the client to guess, except where listed.
        foreach (var (name, schema) in schemas)
        {
            foreach (var (property, value) in schema!["properties"]?.AsObject() ?? [])
            {
                var inner = value!["oneOf"] is JsonArray options ? options.FirstOrDefault(o => o!["type"]?.ToString() != "null") : value;
                if (!FreeFormOnPurpose.Contains($"{name}.{property}") && (inner is null || Untyped(inner, schemas) is not null))
                {
                    failures.Add($"{name}.{property}: {Untyped(inner, schemas)}");
                }
            }
        }

        Assert.True(failures.Count == 0, "Untyped:\n" + string.Join("\n", failures));
    }

    /// <summary>Why a schema says nothing of the JSON's shape, or null when it does.</summary>
    private static string? Untyped(JsonNode? schema, JsonObject schemas)
    {
        for (var hops = 0; schema?["$ref"] is JsonValue reference && hops < 10; hops++)
        {
            var id = reference.GetValue<string>().Split('/')[^1];
            schema = schemas[id];
            if (id is "JsonNode" or "JsonObject" or "JsonElement")
            {
                return $"raw JSON ({id})";
            }
        }

        if (schema is not JsonObject obj || obj.Count == 0)
        {
            return "an empty schema";
        }

        if (obj["allOf"] is JsonArray || obj["oneOf"] is JsonArray || obj["anyOf"] is JsonArray || obj["enum"] is JsonArray || obj["const"] is not null)
        {
            return null;
        }

        var types = obj["type"] switch
        {
            JsonArray list => list.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        if (types.Count == 0)
        {
            return "no type";
        }

        if (types.Contains("array"))
        {
            return obj["items"] is null ? "an array of anything" : Untyped(obj["items"], schemas);
        }

        return types.Contains("object") && obj["properties"] is null && obj["additionalProperties"] is null ? "an object with no properties" : null;
    }

    [Fact]
    public async Task DefinitionsAreTheShippedJsonSchemaInBothDirections()
    {
        var document = await DocumentAsync();
        var shipped = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Screening.Testing.RepositoryRoot.Folder, "workflows", "workflow-definition.schema.json")))!;
        var schemas = document["components"]!["schemas"]!;
        var paths = document["paths"]!;
        const string Reference = "#/components/schemas/WorkflowDefinition";

        Assert.Equal(Reference, paths["/api/workflow-definitions/{key}/draft"]!["put"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(Reference, paths["/api/workflow-definitions/validate"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(Reference, paths["/api/workflow-definitions/{key}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(Reference, paths["/api/workflow-definitions/{key}/versions/{version}"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        var definition = schemas["WorkflowDefinition"]!;
        Assert.Equal(Strings(shipped["required"]), Strings(definition["required"]));
        Assert.Equal(shipped["properties"]!["key"]!["pattern"]!.GetValue<string>(), definition["properties"]!["key"]!["pattern"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/WorkflowDefinitionStep", definition["properties"]!["steps"]!["items"]!["$ref"]!.GetValue<string>());
        // Each of the file's $defs is a component, with the file's step types.
        foreach (var (name, _) in shipped["$defs"]!.AsObject())
        {
            Assert.NotNull(schemas["WorkflowDefinition" + char.ToUpperInvariant(name[0]) + name[1..]]);
        }

        Assert.Equal(
            Strings(shipped["$defs"]!["step"]!["properties"]!["type"]!["enum"]),
            Strings(schemas["WorkflowDefinitionStep"]!["properties"]!["type"]!["enum"]));
        Assert.DoesNotContain(document.ToJsonString(), "#/$defs/", StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOfficialsInitiatedCaseAndSignInAreTyped()
    {
        var document = await DocumentAsync();
        var paths = document["paths"]!;
        var schemas = document["components"]!["schemas"]!;

        Assert.Equal("#/components/schemas/InitiatedFiling", paths["/api/cases/initiated"]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        var initiated = schemas["InitiatedFiling"]!;
        Assert.Equal(["implementedOn", "investor", "target", "transaction"], Strings(initiated["required"]).Order(StringComparer.Ordinal));
        Assert.Equal("date", initiated["properties"]!["implementedOn"]!["format"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/FilingTarget", initiated["properties"]!["target"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/SubmittedCase", paths["/api/cases/initiated"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        foreach (var path in new[] { "/api/auth/login", "/api/auth/refresh" })
        {
            Assert.Equal("#/components/schemas/AccessTokenResponse", paths[path]!["post"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        }

        Assert.Equal(["accessToken", "expiresIn", "refreshToken"], Strings(schemas["AccessTokenResponse"]!["required"]).Order(StringComparer.Ordinal));
        Assert.Equal("#/components/schemas/Filing", schemas["CaseView"]!["properties"]!["filing"]!["oneOf"]![1]!["$ref"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("TaskView", "status", "open,claimed,completed,cancelled")]
    [InlineData("TaskView", "role", "officer,decision-maker")]
    [InlineData("TaskView", "jurisdiction", "CA,MX")]
    [InlineData("CaseTaskView", "status", "open,claimed,completed,cancelled")]
    [InlineData("RequestHistoryView", "status", "open,answered,expired,cancelled")]
    [InlineData("DocumentView", "classification", "applicant,government,jurisdiction")]
    [InlineData("DocumentView", "purpose", "filing,answer,case")]
    [InlineData("NamedHolidayView", "kind", "non-business,legal,both")]
    [InlineData("DecisionView", "authority", "minister,governor-in-council,cnie,operation-of-law,")]
    [InlineData("DecisionView", "outcome", "cleared,cleared-with-conditions,prohibited,divestiture-ordered,deemed-approved")]
    [InlineData("CaseSummary", "status", "submitted,in-review,awaiting-applicant,decided,withdrawn,closed")]
    [InlineData("FilingTransaction", "type", "acquisition-of-control,minority-investment,asset-purchase,joint-venture,greenfield")]
    public async Task FieldsWithAClosedSetOfValuesListThemAsAnEnum(string schema, string property, string values)
    {
        var document = await DocumentAsync();
        var field = document["components"]!["schemas"]![schema]!["properties"]![property]!;

        var listed = field["enum"]!.AsArray().Select(v => v?.GetValue<string>() ?? string.Empty);
        Assert.Equal(values, string.Join(",", listed));
        // An enum that admits null is on a field whose type admits it.
        Assert.Equal(values.EndsWith(','), field["type"] is JsonArray types && types.Any(t => t!.GetValue<string>() == "null"));
    }

    [Theory]
    [InlineData("MeResponse")]
    [InlineData("UserView")]
    public async Task AListOfValuesFromAClosedSetListsThemOnItsItems(string schema)
    {
        var document = await DocumentAsync();
        var roles = document["components"]!["schemas"]![schema]!["properties"]!["roles"]!;

        Assert.Equal(["applicant", "officer", "decision-maker", "admin"], Strings(roles["items"]!["enum"]));
        Assert.Null(roles["enum"]);
    }

    [Fact]
    public async Task HealthIsDescribed()
    {
        var document = await DocumentAsync();
        Assert.NotNull(document["paths"]!["/health"]?["get"]?["responses"]?["200"]);
    }

    [Fact]
    public async Task TheDocumentPassesTheRecommendedLintRulesWithoutErrors()
    {
        var document = await DocumentAsync();
        var file = Path.Combine(Path.GetTempPath(), $"screening-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, document.ToJsonString());
        try
        {
            var npx = FindOnPath("npx");
            if (npx is null)
            {
                Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "npx is not installed: run scripts/setup.sh.");
                output.WriteLine("SKIPPED: npx is not installed, so the document was not linted (run scripts/setup.sh).");
                return;
            }

            var start = new ProcessStartInfo(npx, ["--yes", "@redocly/cli@2.77.0", "lint", "--format=json", file])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["REDOCLY_TELEMETRY"] = "off";
            start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await process.WaitForExitAsync(timeout.Token);
            var text = await stdout;
            var json = text.IndexOf('{', StringComparison.Ordinal) is var at and >= 0 ? JsonNode.Parse(text[at..]) : null;
            Assert.True(json?["problems"] is JsonArray, $"The linter printed no report (exit {process.ExitCode}):\n{text}\n{await stderr}");

            var problems = json!["problems"]!.AsArray();
            var errors = problems.Where(p => p!["severity"]!.GetValue<string>() == "error").ToList();
            var warnings = problems.Where(p => p!["severity"]!.GetValue<string>() != "error").ToList();
            output.WriteLine($"lint: {errors.Count} errors, {warnings.Count} warnings");
            foreach (var problem in problems)
            {
                output.WriteLine($"{problem!["severity"]} {problem["ruleId"]}: {problem["message"]} at {problem["location"]?[0]?["pointer"]}");
            }

            Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e!["ruleId"]}: {e["message"]} at {e["location"]?[0]?["pointer"]}")));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static List<string> Strings(JsonNode? node) => [.. node!.AsArray().Select(n => n!.GetValue<string>())];

    private static IEnumerable<JsonObject> Descendants(JsonNode node)
    {
        if (node is JsonObject obj)
        {
            yield return obj;
            foreach (var (_, child) in obj)
            {
                if (child is not null)
                {
                    foreach (var d in Descendants(child))
                    {
                        yield return d;
                    }
                }
            }
        }
        else if (node is JsonArray array)
        {
            foreach (var child in array.Where(c => c is not null))
            {
                foreach (var d in Descendants(child!))
                {
                    yield return d;
                }
            }
        }
    }
}
