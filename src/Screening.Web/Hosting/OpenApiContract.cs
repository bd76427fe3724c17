using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Screening.Web.Hosting;

/// <summary>Marks an endpoint that reads its body as raw JSON with the schema (a component id) the document should show.</summary>
public sealed record OpenApiBodySchema(string SchemaId);

/// <summary>Marks the endpoint that takes a document as <c>multipart/form-data</c> (it reads the body itself, so the generator cannot see it).</summary>
public sealed record OpenApiDocumentUpload;

/// <summary>Marks the endpoint that answers with a document's content.</summary>
public sealed record OpenApiDocumentDownload;

/// <summary>Marks an endpoint that answers raw JSON (a <c>JsonNode</c>) with the schema (a component id) the document should show.</summary>
public sealed record OpenApiResponseSchema(string SchemaId, int Status = StatusCodes.Status200OK);

/// <summary>Marks an endpoint whose retries are made safe by an <c>Idempotency-Key</c> header.</summary>
public sealed record AcceptsIdempotencyKey;

/// <summary>
/// Makes /openapi/v1.json describe the real contract (API.md): security from each endpoint's authorization
/// metadata, problem responses, ids and tags, and schemas typed as the JSON on the wire is.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "HttpValidationProblemDetails";
    public const string FilingSchema = "Filing";
    public const string InitiatedFilingSchema = "InitiatedFiling";
    public const string WorkflowDefinitionSchema = "WorkflowDefinition";

    public static readonly string[] CaseStatuses = ["submitted", "in-review", "awaiting-applicant", "decided", "withdrawn", "closed"];
    public static readonly string[] DecisionOutcomes = ["cleared", "cleared-with-conditions", "prohibited", "divestiture-ordered", "deemed-approved"];
    public static readonly string[] ClockUnits = ["calendar", "business", "calendar-rolling", "calendar-holiday-rolling"];
    public static readonly string[] TaskScopes = ["available", "mine"];
    public static readonly string[] TransactionTypes = ["acquisition-of-control", "minority-investment", "asset-purchase", "joint-venture", "greenfield"];

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Identity"] = "Sign-in with bearer tokens, refresh, registration of applicants, and the signed-in user.",
        ["Cases"] = "Filings: applicants submit and follow their cases; officials read their jurisdiction's.",
        ["Documents"] = "Documents of a case: applicants attach them to the filing and to answers, officials to the case; each classified for who may read it.",
        ["Reference data"] = "Every code a filing accepts (minerals, technologies, sectors, transaction types, countries).",
        ["Review queues"] = "Tasks officers and decision-makers claim, complete, or use to request information.",
        ["Workflow definitions"] = "Administrators draft, validate and publish versioned workflow definitions.",
        ["Calendars"] = "Business calendars (weekends, holidays) and due-date arithmetic.",
        ["Audit"] = "The append-only, hash-chained record of every case event.",
        ["Administration"] = "Users, incidents, consistency checks, backups and the simulated clock.",
        ["Notifications"] = "The caller's in-app notifications.",
        ["Health"] = "Whether the database and the job server are up.",
    };

    public static void Configure(OpenApiOptions options)
    {
        // Two records are called ClockView (a case's clock and the host's clock): give each its own id.
        options.CreateSchemaReferenceId = type =>
            type.Type == typeof(Cases.ClockView) ? "CaseClockView"
            : type.Type == typeof(Admin.ClockView) ? "AdminClockView"
            // The engine's parsed form; the wire carries the shipped JSON schema's shape (WorkflowDefinition).
            : type.Type == typeof(Screening.Workflows.Definitions.WorkflowDefinition) ? "ParsedWorkflowDefinition"
            : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        options.AddSchemaTransformer((schema, context, _) =>
        {
            DescribeWireTypes(schema, context);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            DescribeOperation(operation, context);
            return Task.CompletedTask;
        });
        options.AddDocumentTransformer(async (document, context, _) =>
        {
            var paths = context.ApplicationServices.GetRequiredService<ContentPaths>();
            DescribeDocument(document, Path.Combine(paths.Workflows, "workflow-definition.schema.json"));
            await DropUnusedSchemasAsync(document);
        });
    }

    private static void DescribeWireTypes(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        // Number handling lets the API read numbers from strings; a client should still send and expect numbers.
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.String) && (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        var clr = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var nullable = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null;
        if (clr == typeof(DateTimeOffset) || clr == typeof(DateTime))
        {
            // Instants are written by UtcInstantConverter, whose shape the generator cannot see.
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date-time";
        }
        else if (clr == typeof(DateOnly))
        {
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = "date";
        }

        if (context.JsonPropertyInfo is { } property)
        {
            var values = (property.DeclaringType, property.Name) switch
            {
                (var t, "status") when t == typeof(Cases.CaseView) || t == typeof(Cases.CaseSummary) || t == typeof(Cases.SubmittedCase) => CaseStatuses,
                (var t, "outcome") when t == typeof(Cases.DecisionView) => DecisionOutcomes,
                (var t, "unit") when t == typeof(Cases.ClockView) => ClockUnits,
                _ => null,
            };
            if (values is not null)
            {
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }

            // Any other closed set is declared where the field is, with [AllowedValues]; a list's applies to its items.
            if (property.AttributeProvider?.GetCustomAttributes(typeof(AllowedValuesAttribute), inherit: true).OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
            {
                var target = schema.Type is { } kind && kind.HasFlag(JsonSchemaType.Array) && schema.Items is OpenApiSchema items ? items : schema;
                // A null among the values (a field that may be absent) is written as JSON null.
                target.Enum = [.. allowed.Values.Select(v => v is null ? null! : (JsonNode)JsonValue.Create(v.ToString()!))];
            }
        }
    }

    private static void DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var method = (description.HttpMethod ?? "GET").ToUpperInvariant();
        var path = "/" + (description.RelativePath ?? string.Empty).TrimEnd('/');
        var document = context.Document;

        operation.OperationId ??= metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName ?? OperationId(method, path);
        operation.Summary ??= $"{method} {path}";

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var authorize = anonymous ? [] : metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count > 0)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Cookie", document)] = [] },
            ];
            var policies = authorize.Select(a => a.Policy ?? a.Roles).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            if (policies.Count > 0)
            {
                var who = $"Requires the '{string.Join("', '", policies)}' policy.";
                operation.Description = operation.Description is null ? who : $"{operation.Description}\n\n{who}";
            }
        }
        else
        {
            operation.Security = [];
        }

        if (metadata.OfType<OpenApiBodySchema>().LastOrDefault() is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(body.SchemaId, document) },
                },
            };
        }

        foreach (var answer in metadata.OfType<OpenApiResponseSchema>())
        {
            operation.Responses ??= [];
            var key = answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var existing = operation.Responses.TryGetValue(key, out var found) ? found : null;
            operation.Responses[key] = new OpenApiResponse
            {
                Description = existing?.Description ?? "OK",
                Headers = existing?.Headers,
                Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
                {
                    ["application/json"] = new() { Schema = new OpenApiSchemaReference(answer.SchemaId, document) },
                },
            };
        }

        if (metadata.OfType<OpenApiDocumentUpload>().Any())
        {
            DescribeUpload(operation, document);
        }

        if (metadata.OfType<OpenApiDocumentDownload>().Any())
        {
            DescribeDownload(operation);
        }

        operation.Parameters ??= [];
        if (metadata.OfType<AcceptsIdempotencyKey>().Any())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Description = "A key of the caller's choosing: a retried submission with the same key returns the first case instead of filing again.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            });
        }

        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            var values = (path, parameter.Name) switch
            {
                ("/api/tasks", "scope") => TaskScopes,
                (_, "unit") when path.EndsWith("/due-date", StringComparison.Ordinal) => ClockUnits,
                _ => null,
            };
            if (values is not null && parameter.Schema is OpenApiSchema schema)
            {
                schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))];
            }
        }

        if (operation.Parameters.Count == 0)
        {
            operation.Parameters = null;
        }

        operation.Responses ??= [];
        foreach (var (code, response) in operation.Responses)
        {
            if (code == "201" && response is OpenApiResponse created)
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal);
                created.Headers["Location"] = new OpenApiHeader { Description = "The address of what was created.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" } };
            }
        }

        var command = method is "POST" or "PUT" or "PATCH" or "DELETE";
        var hasBody = operation.RequestBody is not null;
        var hasInput = hasBody || operation.Parameters is { Count: > 0 } || path.Contains('{', StringComparison.Ordinal);
        var rateLimited = command || metadata.OfType<EnableRateLimitingAttribute>().Any();
        if (hasInput)
        {
            Problem(operation, document, "400", "The input is not valid: `errors` lists each bad field by its JSON path.", ValidationProblemSchema);
        }

        if (authorize.Count > 0)
        {
            Problem(operation, document, "401", "Not signed in.");
            if (authorize.Any(a => a.Policy is not null || a.Roles is not null))
            {
                Problem(operation, document, "403", "Signed in, but the caller's role does not allow this.");
            }
        }

        if (path.Contains('{', StringComparison.Ordinal))
        {
            Problem(operation, document, "404", "Not found, or not the caller's to see.");
        }

        if (command && !anonymous)
        {
            Problem(operation, document, "409", "A conflict with the current state (already claimed or completed, a stale version).");
        }

        if (hasBody)
        {
            Problem(operation, document, "413", "The body is over 1 MB.");
            Problem(operation, document, "415", "The body is not JSON.");
        }

        if (rateLimited)
        {
            Problem(operation, document, "429", "Throttled: try again after the seconds in Retry-After.");
        }

        Problem(operation, document, "default", "Any other error, as a problem document.");
    }

    private static void DescribeUpload(OpenApiOperation operation, OpenApiDocument? document)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string>(["file"], StringComparer.Ordinal),
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["file"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Format = "binary",
                                Description = "The document: PDF, PNG, JPEG, TIFF, DOCX, XLSX or PPTX, told by its content; at most 25 MB.",
                            },
                            ["classification"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.String,
                                Enum = [.. Persistence.DocumentClassifications.All.Select(v => (JsonNode)JsonValue.Create(v))],
                                Description = "Who may read it. Applicants send applicant (the default for them); an official's default is government.",
                            },
                        },
                    },
                },
            },
        };
        operation.Responses ??= [];
        Problem(operation, document, "413", "The file is over 25 MB, or the case's documents would be over 500 MB in all.");
        Problem(operation, document, "415", "The body is not multipart/form-data, or the file is not a PDF, PNG, JPEG, TIFF or Office Open XML document (or holds scripts or macros).");
    }

    private static void DescribeDownload(OpenApiOperation operation)
    {
        var binary = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "The document's content, as an attachment.",
            Headers = new Dictionary<string, IOpenApiHeader>(StringComparer.Ordinal)
            {
                ["Content-Disposition"] = new OpenApiHeader { Description = "attachment, with the document's name.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                [Documents.DocumentFormats.Pdf.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Png.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Jpeg.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Tiff.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Docx.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Xlsx.ContentType] = new() { Schema = binary },
                [Documents.DocumentFormats.Pptx.ContentType] = new() { Schema = binary },
            },
        };
    }

    private static void Problem(OpenApiOperation operation, OpenApiDocument? document, string code, string description, string schema = ProblemSchema)
    {
        if (operation.Responses!.TryGetValue(code, out var existing) && existing.Content is { Count: > 0 } && existing.Content.ContainsKey("application/problem+json"))
        {
            return;
        }

        operation.Responses[code] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal)
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
            },
        };
    }

    /// <summary>getCasesById, postTasksByIdClaim: from the method and the route, so it is stable across builds.</summary>
    public static string OperationId(string method, string path)
    {
        var id = new StringBuilder(method.ToLowerInvariant());
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "api"))
        {
            var name = segment.StartsWith('{') ? "By-" + segment.Trim('{', '}').Split(':')[0] : segment;
            foreach (var word in name.Split('-', StringSplitOptions.RemoveEmptyEntries))
            {
                id.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return id.ToString();
    }

    private static void DescribeDocument(OpenApiDocument document, string definitionSchemaFile)
    {
        document.Info.Title = "Screening API";
        document.Info.Description = "Foreign-investment screening: filings, review queues, workflow definitions, calendars and audit. Every error is an RFC 9457 problem document.";
        document.Info.License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-Proprietary" };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal)
        {
            ["Bearer"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The accessToken from POST /api/auth/login.",
            },
            ["Cookie"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Cookie,
                Name = ".AspNetCore.Identity.Application",
                Description = "The web UI's sign-in cookie.",
            },
        };

        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        var schemas = document.Components.Schemas;
        schemas[ProblemSchema] = Problem(withErrors: false);
        schemas[ValidationProblemSchema] = Problem(withErrors: true);
        AddFiling(schemas);
        AddWorkflowDefinition(schemas, definitionSchemaFile);
        // Raw JSON the generator saw as JsonNode: the stored filing, and the definition a validation parsed.
        if (schemas.TryGetValue("CaseView", out var caseView) && caseView.Properties?.ContainsKey("filing") == true && caseView is OpenApiSchema view)
        {
            view.Properties!["filing"] = NullOr(new OpenApiSchemaReference(FilingSchema, document), "The filing as submitted.");
        }

        if (schemas.TryGetValue("CalendarBody", out var calendar) && calendar is OpenApiSchema calendarBody && calendarBody.Properties?.ContainsKey("holidays") == true)
        {
            calendarBody.Properties["holidays"] = Holidays();
        }

        if (schemas.TryGetValue("ValidationResult", out var validation) && validation is OpenApiSchema result && result.Properties?.ContainsKey("definition") == true)
        {
            result.Properties["definition"] = NullOr(new OpenApiSchemaReference(WorkflowDefinitionSchema, document), "Always null over the API.");
        }

        // Group routes mapped at "/" come out with a trailing slash; routing matches them without it.
        foreach (var key in document.Paths.Keys.Where(k => k.Length > 1 && k.EndsWith('/')).ToList())
        {
            var item = document.Paths[key];
            document.Paths.Remove(key);
            document.Paths[key.TrimEnd('/')] = item;
        }

        document.Paths["/health"] = Health(document);
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/');
        }

        var used = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags?.AsEnumerable() ?? []).Select(t => t.Name).OfType<string>().ToHashSet(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(
            used.Order(StringComparer.Ordinal).Select(name => new OpenApiTag { Name = name, Description = TagDescriptions.GetValueOrDefault(name, name) }));
    }

    private static OpenApiSchema Problem(bool withErrors)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = withErrors ? "A problem document for invalid input." : "An RFC 9457 problem document.",
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "uri-reference" },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            },
        };
        if (withErrors)
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages keyed by the JSON path of the bad field ($.target.jurisdiction).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            schema.Required = new HashSet<string>(["errors"], StringComparer.Ordinal);
        }

        return schema;
    }

    /// <summary>The filing as Cases/FilingReader checks it: required fields, lengths, list limits, and no field it does not know.</summary>
    private static void AddFiling(IDictionary<string, IOpenApiSchema> schemas)
    {
        static OpenApiSchema Text(int max = Cases.FilingReader.MaxText) => new() { Type = JsonSchemaType.String, MinLength = 1, MaxLength = max, Pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", Description = "No control characters." };
        static OpenApiSchema Country() => new() { Type = JsonSchemaType.String, Pattern = "^[A-Z]{2}$", Description = "ISO 3166-1 alpha-2, from GET /api/reference-data." };
        static OpenApiSchema Codes(string what) => new() { Type = JsonSchemaType.Array, MaxItems = 50, UniqueItems = true, Items = new OpenApiSchema { Type = JsonSchemaType.String }, Description = $"{what} codes from GET /api/reference-data." };
        static OpenApiSchema Bool() => new() { Type = JsonSchemaType.Boolean, Description = "false when left out." };
        static OpenApiSchema Enum(IEnumerable<string> values) => new() { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v))] };
        static HashSet<string> Required(params string[] names) => new(names, StringComparer.Ordinal);
        static OpenApiSchema Closed(HashSet<string> required, Dictionary<string, IOpenApiSchema> properties, string? description = null) => new()
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Required = required,
            Properties = properties,
            AdditionalPropertiesAllowed = false,
        };

        schemas["FilingInvestor"] = Closed(Required("name", "country"), new(StringComparer.Ordinal)
        {
            ["name"] = Text(),
            ["country"] = Country(),
            ["stateOwned"] = Bool(),
            ["stateInfluenced"] = Bool(),
            ["ultimateParent"] = Text(),
        });
        var assetCountries = Codes("Country");
        assetCountries.MinItems = 1;
        assetCountries.Items = Country();
        schemas["FilingTarget"] = Closed(Required("name", "jurisdiction", "assetCountries", "sector"), new(StringComparer.Ordinal)
        {
            ["name"] = Text(),
            ["jurisdiction"] = Enum(Identity.Jurisdictions.All),
            ["assetCountries"] = assetCountries,
            ["sector"] = Enum(Cases.ReferenceData.Sectors),
            ["minerals"] = Codes("Mineral"),
            ["technologies"] = Codes("Technology"),
        });
        schemas["FilingTransaction"] = Closed(Required("type", "equityPercent", "value", "currency", "plannedClosing"), new(StringComparer.Ordinal)
        {
            ["type"] = Enum(TransactionTypes),
            ["equityPercent"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "100" },
            ["value"] = new OpenApiSchema { Type = JsonSchemaType.Number, Minimum = "0", Maximum = "1000000000000000" },
            ["currency"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Z]{3}$", Description = "ISO 4217, a currency in circulation (GET /api/reference-data lists them)." },
            ["controlAcquired"] = Bool(),
            ["plannedClosing"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
        });

        Dictionary<string, IOpenApiSchema> Filing() => new(StringComparer.Ordinal)
        {
            ["investor"] = new OpenApiSchemaReference("FilingInvestor"),
            ["target"] = new OpenApiSchemaReference("FilingTarget"),
            ["transaction"] = new OpenApiSchemaReference("FilingTransaction"),
            ["summary"] = WithLines(Text(Cases.FilingReader.MaxSummary)),
        };
        schemas[FilingSchema] = Closed(Required("investor", "target", "transaction"), Filing(), "A filing: who invests, in what, how, and why.");

        // Its own copy rather than allOf: a closed Filing (additionalProperties: false) would refuse implementedOn.
        var initiated = Filing();
        initiated["implementedOn"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date", Description = "Within the last 5 years, not in the future." };
        schemas[InitiatedFilingSchema] = Closed(Required("investor", "target", "transaction", "implementedOn"), initiated,
            "A filing as the investor would have made it, for an investment never filed, with the day it was implemented.");

        static OpenApiSchema WithLines(OpenApiSchema text)
        {
            text.Pattern = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$";
            text.MinLength = null;
            text.Description = "Free text; line breaks and tabs allowed.";
            return text;
        }
    }

    private static OpenApiSchema Holidays() => new()
    {
        Type = JsonSchemaType.Array | JsonSchemaType.Null,
        Description = "The holidays of the years the list covers: each a date, or a date with its name, source and kind.",
        Items = new OpenApiSchema
        {
            OneOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string>(["date"], StringComparer.Ordinal),
                    Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                    {
                        ["date"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                        ["name"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["source"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. new[] { "non-business", "legal", "both" }.Select(v => (JsonNode)JsonValue.Create(v))] },
                    },
                },
            ],
        },
    };

    private static OpenApiSchema NullOr(IOpenApiSchema schema, string description) => new()
    {
        Description = description,
        OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, schema],
    };

    /// <summary>
    /// The shipped workflows/workflow-definition.schema.json, as components: the definition itself and each of its
    /// $defs as WorkflowDefinition + name (WorkflowDefinitionStep). OpenAPI 3.1 schemas are JSON Schema 2020-12,
    /// so the file's keywords carry over as they are; only its references are re-pointed.
    /// </summary>
    private static void AddWorkflowDefinition(IDictionary<string, IOpenApiSchema> schemas, string file)
    {
        var source = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var definitions = source["$defs"] as JsonObject ?? [];
        foreach (var name in new[] { "$defs", "$schema", "$id" })
        {
            source.Remove(name);
        }

        var components = new JsonObject { [WorkflowDefinitionSchema] = source };
        foreach (var (name, part) in definitions.ToList())
        {
            definitions.Remove(name);
            components[DefinitionPart(name)] = part;
        }

        Repoint(components);
        var text = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject { ["title"] = "workflow definition", ["version"] = "1" },
            ["paths"] = new JsonObject(),
            ["components"] = new JsonObject { ["schemas"] = components },
        }.ToJsonString();
        var read = OpenApiDocument.Parse(text, "json");
        if (read.Document?.Components?.Schemas is not { Count: > 0 } parsed || read.Diagnostic?.Errors is { Count: > 0 })
        {
            throw new InvalidOperationException($"{file} could not be read as a schema: {string.Join("; ", read.Diagnostic?.Errors.Select(e => e.Message) ?? [])}");
        }

        foreach (var (name, schema) in parsed)
        {
            schemas[name] = schema;
        }

        static string DefinitionPart(string name) => WorkflowDefinitionSchema + char.ToUpperInvariant(name[0]) + name[1..];

        static void Repoint(JsonNode? node)
        {
            if (node is JsonObject obj)
            {
                if (obj["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith("#/$defs/", StringComparison.Ordinal))
                {
                    obj["$ref"] = "#/components/schemas/" + DefinitionPart(target["#/$defs/".Length..]);
                }

                foreach (var (_, child) in obj.ToList())
                {
                    Repoint(child);
                }
            }
            else if (node is JsonArray array)
            {
                foreach (var child in array)
                {
                    Repoint(child);
                }
            }
        }
    }

    /// <summary>Schemas nothing refers to any more (those replaced above, and what only they used) are left out.</summary>
    private static async Task DropUnusedSchemasAsync(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null)
        {
            return;
        }

        while (true)
        {
            var text = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1);
            var unused = schemas.Keys.Where(name => !text.Contains($"\"#/components/schemas/{name}\"", StringComparison.Ordinal)).ToList();
            if (unused.Count == 0)
            {
                return;
            }

            foreach (var name in unused)
            {
                schemas.Remove(name);
            }
        }
    }

    private static OpenApiPathItem Health(OpenApiDocument document)
    {
        var body = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(["status", "checks"], StringComparer.Ordinal),
            Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
            {
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. new[] { "healthy", "degraded", "unhealthy" }.Select(v => (JsonNode)JsonValue.Create(v))] },
                ["checks"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal)
                        {
                            ["status"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["description"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                        },
                    },
                },
            },
        };
        OpenApiResponse Answer(string description) => new()
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { ["application/json"] = new() { Schema = body } },
        };
        var operation = new OpenApiOperation
        {
            OperationId = "getHealth",
            Summary = "Whether the database and the job server are up",
            Tags = new HashSet<OpenApiTagReference> { new("Health", document) },
            Security = [],
            Responses = new OpenApiResponses
            {
                ["200"] = Answer("The database and the job server are up."),
                ["503"] = Answer("A dependency is down."),
            },
        };
        return new OpenApiPathItem { Operations = new Dictionary<HttpMethod, OpenApiOperation> { [HttpMethod.Get] = operation } };
    }

}
