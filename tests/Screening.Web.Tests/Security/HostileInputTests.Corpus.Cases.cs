using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Security;

public sealed partial class HostileInputTests
{
    /// <summary>Filing a case, and paging through cases.</summary>
    private static void AddFilingProbes(ProbeSet probes)
    {
        var applicant = ScreeningFactory.Applicant;

        // ---- POST /api/cases: the filing is read field by field and unknown fields are refused. ----
        const string cases = "POST /api/cases";
        var filing = Scenario.LowRiskCa();
        probes.Malformed(cases, applicant, HttpMethod.Post, "/api/cases");
        probes.Truncated(cases, applicant, HttpMethod.Post, "/api/cases", filing, cuts: 14);
        var kinds = new (string Path, Kind Kind, bool Required)[]
        {
            ("investor", Kind.Object, true), ("target", Kind.Object, true), ("transaction", Kind.Object, true),
            ("investor.name", Kind.String, true), ("investor.country", Kind.String, true), ("investor.stateOwned", Kind.Bool, false),
            ("investor.stateInfluenced", Kind.Bool, false), ("investor.ultimateParent", Kind.String, false), ("target.name", Kind.String, true),
            ("target.jurisdiction", Kind.String, true), ("target.assetCountries", Kind.Array, true), ("target.sector", Kind.String, true),
            ("target.minerals", Kind.Array, false), ("target.technologies", Kind.Array, false), ("transaction.type", Kind.String, true),
            ("transaction.equityPercent", Kind.Number, true), ("transaction.value", Kind.Number, true), ("transaction.currency", Kind.String, true),
            ("transaction.controlAcquired", Kind.Bool, false), ("transaction.plannedClosing", Kind.String, true), ("summary", Kind.String, false),
        };
        foreach (var (path, kind, required) in kinds)
        {
            foreach (var wrong in StrictWrongTypes(kind))
            {
                probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, wrong), $"{path} = {wrong}");
            }

            if (required)
            {
                probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, "null"), $"{path} = null");
                probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", Without(filing, path), $"{path} missing");
            }
        }

        foreach (var parent in new[] { "", "investor", "target", "transaction" })
        {
            foreach (var extra in new[] { "extra", "__proto__", "constructor", "isAdmin" })
            {
                var path = parent.Length == 0 ? extra : $"{parent}.{extra}";
                probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, "true"), $"extra field {path}");
            }
        }

        var filingValues = new (string Path, string Json)[]
        {
            ("transaction.equityPercent", "150"), ("transaction.equityPercent", "-1"), ("transaction.equityPercent", "100.0001"), ("transaction.equityPercent", "1e400"),
            ("transaction.value", "-1"), ("transaction.value", "-0.01"), ("transaction.value", "1e16"), ("transaction.value", "1e308"), ("transaction.value", "-1e400"),
            ("target.jurisdiction", "\"US\""), ("target.jurisdiction", "\"ca\""), ("target.jurisdiction", "\"Canada\""), ("target.jurisdiction", "\"\""),
            ("target.jurisdiction", "\"  \""), ("target.jurisdiction", "\"MXX\""), ("target.jurisdiction", "\"QC\""),
            ("investor.country", "\"XX\""), ("investor.country", "\"USA\""), ("investor.country", "\"us\""), ("investor.country", "\"🇺🇸\""), ("investor.country", "\"\""),
            ("investor.country", "\"C\""), ("investor.country", "\"<script>\""),
            ("target.assetCountries", "[\"ZZ\"]"), ("target.assetCountries", "[\"CA\",\"ca\"]"), ("target.assetCountries", "[\"CA\",\"CA\"]"), ("target.assetCountries", "[]"),
            ("target.assetCountries", "[null]"), ("target.assetCountries", "[1]"), ("target.assetCountries", "[[\"CA\"]]"),
            ("target.assetCountries", "[" + string.Join(",", Enumerable.Range(0, 60).Select(i => $"\"{(char)('A' + (i / 26))}{(char)('A' + (i % 26))}\"")) + "]"),
            ("target.sector", "\"mining-everything\""), ("target.sector", "\"javascript:alert(1)\""), ("transaction.type", "\"hostile-takeover\""),
            ("transaction.currency", "\"cad\""), ("transaction.currency", "\"DOLLAR\""), ("transaction.currency", "\"C$D\""), ("transaction.currency", "\"<b>\""),
            ("target.minerals", "[\"kryptonite\"]"), ("target.minerals", "[\"lithium\",\"lithium\"]"), ("target.technologies", "[\"death-ray\"]"),
            ("transaction.plannedClosing", "\"2027-02-30\""), ("transaction.plannedClosing", "\"tomorrow\""), ("transaction.plannedClosing", "\"01/03/2027\""),
            ("transaction.plannedClosing", "\"2027-3-1\""), ("transaction.plannedClosing", "\"2027-03-01T00:00:00Z\""),
            ("target.jurisdiction", "\"<img src=x onerror=alert(1)>\""), ("investor.name", "\"\""), ("investor.name", "\"   \""), ("target.name", "\"\\t\""),
            ("investor.name", Deep), ("summary", DeepArray),
        };
        foreach (var (path, json) in filingValues)
        {
            probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, json), $"{path} = {Shorten(json)}");
        }

        foreach (var path in new[] { "investor.name", "investor.ultimateParent", "target.name", "summary", "investor.country", "target.jurisdiction", "transaction.currency", "transaction.plannedClosing", "target.sector" })
        {
            probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, Quote(Long)), $"{path} = 100 KB");
        }

        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "target.minerals", $"[{Quote(Long)}]"), "target.minerals = [100 KB]");
        foreach (var path in new[] { "investor.name", "target.name", "investor.ultimateParent", "summary" })
        {
            foreach (var control in ControlCharacters.Where(c => path != "summary" || c != "\u0085"))
            {
                probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, path, Quote($"Boreal{control}Copper")), $"{path} with U+{(int)control[^1]:X4}");
            }
        }

        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "investor.name", Quote("Line\nBreak")), "investor.name with a line break");
        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "investor", "{\"name\":\"A\",\"name\":\"B\",\"country\":\"US\"}"), "investor.name repeated");
        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", WithRaw(filing, "transaction.equityPercent", "5,\"equityPercent\":150"), "transaction.equityPercent repeated");
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", "text/html", "application/xml" })
        {
            probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), $"content type {type}", mediaType: type);
        }

        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key of 201 characters", headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 201) });
        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key of 5000 characters", headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 5000) });
        probes.Add(cases, applicant, HttpMethod.Post, "/api/cases", filing.ToJsonString(), "Idempotency-Key with a tab", headers: new Dictionary<string, string> { ["Idempotency-Key"] = "key\twith-tab" });

        // ---- GET /api/cases paging ----
        foreach (var query in new[] { "page=0", "page=-1", "pageSize=0", "pageSize=101", "page=abc", "pageSize=1e3", "page=99999999999", "pageSize=-5", "page=1.5" })
        {
            probes.Add("GET /api/cases", applicant, HttpMethod.Get, $"/api/cases?{query}", null, query);
        }
    }

    /// <summary>Answering a request for information, withdrawing, and the reads of a case and a task by id.</summary>
    private static void AddCaseProbes(ProbeSet probes, World world)
    {
        var applicant = ScreeningFactory.Applicant;
        var officer = ScreeningFactory.OfficerCa;

        // ---- POST /api/cases/{id}/requests/{requestId}/response ----
        const string answer = "POST /api/cases/{id}/requests/{requestId}/response";
        var answerUrl = $"/api/cases/{world.CaseId}/requests/{world.RequestId}/response";
        probes.Malformed(answer, applicant, HttpMethod.Post, answerUrl);
        probes.Truncated(answer, applicant, HttpMethod.Post, answerUrl, new JsonObject { ["answer"] = "The register is attached." }, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"   \"", Quote(Long), Quote("\u0000"), Quote("esc\u001b[31m"), "\"\\uD800\"", Deep]))
        {
            probes.Add(answer, applicant, HttpMethod.Post, answerUrl, $"{{\"answer\":{json}}}", $"answer = {Shorten(json)}");
        }

        probes.Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"answer\":\"\",\"extra\":true,\"status\":\"answered\"}", "extra fields with an empty answer");
        probes.Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"Answer \":\"x\"}", "misspelt field");
        probes.Add(answer, applicant, HttpMethod.Post, answerUrl, "{\"answer\":\"x\"}", "answer as text/plain", mediaType: "text/plain");
        probes.Add(answer, ScreeningFactory.OtherApplicant, HttpMethod.Post, answerUrl, "{\"answer\":\"Not my case.\"}", "another applicant's request");
        foreach (var bad in NotIds)
        {
            probes.Add(answer, applicant, HttpMethod.Post, $"/api/cases/{Escape(bad)}/requests/{world.RequestId}/response", "{\"answer\":\"x\"}", $"case id {Shorten(bad)}");
            probes.Add(answer, applicant, HttpMethod.Post, $"/api/cases/{world.CaseId}/requests/{Escape(bad)}/response", "{\"answer\":\"x\"}", $"request id {Shorten(bad)}");
        }

        // ---- POST /api/cases/{id}/withdraw and the case reads: route values ----
        foreach (var bad in NotIds)
        {
            probes.Add("POST /api/cases/{id}/withdraw", applicant, HttpMethod.Post, $"/api/cases/{Escape(bad)}/withdraw", "{}", $"id {Shorten(bad)}");
            probes.Add("GET /api/cases/{id}", applicant, HttpMethod.Get, $"/api/cases/{Escape(bad)}", null, $"id {Shorten(bad)}");
            probes.Add("GET /api/cases/{id}/audit", officer, HttpMethod.Get, $"/api/cases/{Escape(bad)}/audit", null, $"id {Shorten(bad)}");
            probes.Add("GET /api/tasks/{id}", officer, HttpMethod.Get, $"/api/tasks/{Escape(bad)}", null, $"id {Shorten(bad)}");
        }

        probes.Add("POST /api/cases/{id}/withdraw", ScreeningFactory.OtherApplicant, HttpMethod.Post, $"/api/cases/{world.CaseId}/withdraw", "{}", "another applicant's case");
    }

    /// <summary>Claiming, releasing and completing a task, and asking the applicant for information.</summary>
    private static void AddTaskProbes(ProbeSet probes, World world)
    {
        var officer = ScreeningFactory.OfficerCa;

        // ---- Tasks: claim and release (route values and state), complete and request-information (bodies) ----
        foreach (var action in new[] { "claim", "release", "complete", "request-information" })
        {
            var endpoint = $"POST /api/tasks/{{id}}/{action}";
            var body = action switch
            {
                "complete" => "{\"outcome\":\"recommend-clear\"}",
                "request-information" => "{\"question\":\"Why?\",\"dueInDays\":10}",
                _ => "{}",
            };
            foreach (var bad in NotIds)
            {
                probes.Add(endpoint, officer, HttpMethod.Post, $"/api/tasks/{Escape(bad)}/{action}", body, $"id {Shorten(bad)}");
            }

            probes.Add(endpoint, ScreeningFactory.OfficerMx, HttpMethod.Post, $"/api/tasks/{world.TaskId}/{action}", body, "a task of another jurisdiction");
            probes.Add(endpoint, ScreeningFactory.OfficerCa2, HttpMethod.Post, $"/api/tasks/{world.TaskId}/{action}", body, "a task another officer holds");
        }

        probes.Add("POST /api/tasks/{id}/claim", officer, HttpMethod.Post, $"/api/tasks/{world.TaskId}/claim", "{}", "a task the caller already holds");

        const string complete = "POST /api/tasks/{id}/complete";
        var completeUrl = $"/api/tasks/{world.TaskId}/complete";
        var completion = new JsonObject { ["outcome"] = "recommend-clear", ["comment"] = "Fine.", ["conditions"] = new JsonArray(new JsonObject { ["text"] = "Report yearly", ["dueInDays"] = 365 }) };
        probes.Malformed(complete, officer, HttpMethod.Post, completeUrl);
        probes.Truncated(complete, officer, HttpMethod.Post, completeUrl, completion, cuts: 10);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"approve-everything\"", "\"recommend-clear \"", "\"RECOMMEND-CLEAR\"", "\"certify\"", Quote(Long), "\"\\uD800\""]))
        {
            probes.Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "outcome", json), $"outcome = {Shorten(json)}");
        }

        foreach (var json in RecordWrongStrings.Concat([Quote(Long), Quote("\u0000"), Quote("bell\u0007"), Deep]))
        {
            probes.Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "comment", json), $"comment = {Shorten(json)}");
        }

        var conditions = new[]
        {
            "\"x\"", "{}", "1", "[null]", "[1]", "[\"text\"]", "[{\"text\":\"t\",\"dueInDays\":0}]", "[{\"text\":\"t\",\"dueInDays\":100000}]",
            "[{\"text\":\"t\",\"dueInDays\":-1}]", "[{\"text\":\"t\",\"dueInDays\":3651}]", "[{\"text\":\"t\",\"dueInDays\":1.5}]", "[{\"text\":\"t\",\"dueInDays\":\"ten\"}]",
            "[{\"text\":\"t\",\"dueInDays\":2147483648}]", "[{\"text\":\"t\",\"dueInDays\":null}]", "[{\"text\":\"t\"}]", "[{\"dueInDays\":30}]",
            "[{\"text\":\"\",\"dueInDays\":30}]", $"[{{\"text\":{Quote(Long)},\"dueInDays\":30}}]", "[{\"text\":\"\\u0007\",\"dueInDays\":30}]",
            "[{\"text\":123,\"dueInDays\":30}]", "[" + string.Join(",", Enumerable.Repeat("{\"text\":\"t\",\"dueInDays\":30}", 51)) + "]",
            "[{\"text\":\"t\",\"dueInDays\":30}," + Deep + "]",
        };
        foreach (var json in conditions)
        {
            probes.Add(complete, officer, HttpMethod.Post, completeUrl, WithRaw(completion, "conditions", json), $"conditions = {Shorten(json)}");
        }

        const string information = "POST /api/tasks/{id}/request-information";
        var informationUrl = $"/api/tasks/{world.TaskId}/request-information";
        var question = new JsonObject { ["question"] = "Give the offtake agreement.", ["dueInDays"] = 30 };
        probes.Malformed(information, officer, HttpMethod.Post, informationUrl);
        probes.Truncated(information, officer, HttpMethod.Post, informationUrl, question, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"  \"", Quote(Long), Quote("\u0000"), Quote("esc\u001b"), "\"\\uD800\""]))
        {
            probes.Add(information, officer, HttpMethod.Post, informationUrl, WithRaw(question, "question", json), $"question = {Shorten(json)}");
        }

        foreach (var json in new[] { "0", "100000", "-1", "366", "1.5", "\"ten\"", "null", "true", "2147483648", "[]", "{}", "1e3" })
        {
            probes.Add(information, officer, HttpMethod.Post, informationUrl, WithRaw(question, "dueInDays", json), $"dueInDays = {json}");
        }
    }

    /// <summary>Notes on a case.</summary>
    private static void AddNoteProbes(ProbeSet probes, World world)
    {
        var officer = ScreeningFactory.OfficerCa;

        // ---- POST /api/cases/{id}/notes ----
        const string notes = "POST /api/cases/{id}/notes";
        var notesUrl = $"/api/cases/{world.CaseId}/notes";
        var note = new JsonObject { ["text"] = "A note.", ["restricted"] = true };
        probes.Malformed(notes, officer, HttpMethod.Post, notesUrl);
        probes.Truncated(notes, officer, HttpMethod.Post, notesUrl, note, cuts: 6);
        foreach (var json in RecordWrongStrings.Concat(["null", "\"\"", "\"   \"", Quote(Long), Quote("\u0000"), Quote("\u001b[31mred"), "\"\\uD800\""]))
        {
            probes.Add(notes, officer, HttpMethod.Post, notesUrl, WithRaw(note, "text", json), $"text = {Shorten(json)}");
        }

        foreach (var json in new[] { "\"yes\"", "\"true\"", "1", "{}", "[]" })
        {
            probes.Add(notes, officer, HttpMethod.Post, notesUrl, WithRaw(note, "restricted", json), $"restricted = {json}");
        }

        probes.Add(notes, ScreeningFactory.OfficerMx, HttpMethod.Post, notesUrl, note.ToJsonString(), "a case of another jurisdiction");
        foreach (var bad in NotIds)
        {
            probes.Add(notes, officer, HttpMethod.Post, $"/api/cases/{Escape(bad)}/notes", note.ToJsonString(), $"id {Shorten(bad)}");
        }
    }

    /// <summary>Values of the wrong JSON kind for a field the filing reader checks strictly.</summary>
    private static string[] StrictWrongTypes(Kind kind) => kind switch
    {
        Kind.String => ["12345", "true", "[]", "{\"x\":1}"],
        Kind.Bool => ["\"yes\"", "\"true\"", "1", "[]", "{}"],
        Kind.Number => ["\"12\"", "true", "[]", "{}"],
        Kind.Array => ["\"CA\"", "1", "{}", "true"],
        _ => ["\"x\"", "1", "[]", "true"],
    };

    private enum Kind
    {
        String,
        Bool,
        Number,
        Array,
        Object,
    }
}
