// Compiled by GeneratedClientTests together with the client Kiota generates from /openapi/v1.json, so every
// name used here is one the generated client must have: a change to the document that breaks an integrator's
// client breaks this file's compilation.
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Screening.Client;
using Screening.Client.Api.Tasks;
using Screening.Client.Models;

namespace Screening.ClientFlow;

public static class Flow
{
    /// <summary>
    /// An applicant files, a Canadian officer claims and completes the intake task, the applicant reads the case;
    /// all through the generated client. Returns what was seen, one line per fact, for the test to assert on.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RunAsync(HttpClient http, Func<string, (string Password, string? Code)> credentials, string applicant, string officer)
    {
        var seen = new List<string>();
        var applicantClient = await SignInAsync(http, applicant, credentials(applicant));
        var officerClient = await SignInAsync(http, officer, credentials(officer));

        try
        {
            await applicantClient.Api.Cases.PostAsync(new Filing { Summary = "no investor" });
            seen.Add("invalid filing: accepted");
        }
        catch (HttpValidationProblemDetails problem)
        {
            seen.Add($"invalid filing: {problem.ResponseStatusCode} {string.Join(",", problem.Errors!.AdditionalData.Keys.Order(StringComparer.Ordinal))}");
        }

        var submitted = await applicantClient.Api.Cases.PostAsync(new Filing
        {
            Investor = new FilingInvestor { Name = "Northern Lights Capital", Country = "US", StateOwned = false, StateInfluenced = false, UltimateParent = "Northern Lights Partners LP" },
            Target = new FilingTarget { Name = "Boreal Copper Inc.", Jurisdiction = FilingTarget_jurisdiction.CA, AssetCountries = ["CA"], Sector = FilingTarget_sector.CriticalMinerals, Minerals = ["copper"], Technologies = [] },
            Transaction = new FilingTransaction { Type = FilingTransaction_type.MinorityInvestment, EquityPercent = 5, Value = 10_000_000, Currency = "CAD", ControlAcquired = false, PlannedClosing = new Date(2027, 6, 30) },
            Summary = "Passive 5% stake in a copper producer.",
        }, r => r.Headers.Add("Idempotency-Key", "generated-client-" + Guid.NewGuid().ToString("N")));
        var caseId = submitted!.Id!.Value;
        seen.Add($"filed: {submitted.Status} {submitted.Reference}");

        var tasks = await officerClient.Api.Tasks.GetAsync(r =>
        {
            r.QueryParameters.Scope = GetScopeQueryParameterType.Available;
            r.QueryParameters.CaseId = caseId;
        });
        var intake = tasks!.Single(t => t.Step == "intake-review");
        seen.Add($"task: {intake.Step} {intake.Status} {intake.Jurisdiction} outcomes={string.Join(",", intake.Outcomes!)}");

        var claimed = await officerClient.Api.Tasks[intake.Id!.Value].Claim.PostAsync();
        seen.Add($"claimed: {claimed!.Status}");
        var completed = await officerClient.Api.Tasks[intake.Id.Value].Complete.PostAsync(new CompleteBody { Outcome = "certify", Comment = "Complete filing." });
        seen.Add($"completed: {completed!.Status}");

        try
        {
            await officerClient.Api.Tasks[intake.Id.Value].Complete.PostAsync(new CompleteBody { Outcome = "certify" });
            seen.Add("second completion: accepted");
        }
        catch (ProblemDetails problem)
        {
            seen.Add($"second completion: {problem.ResponseStatusCode} {problem.Title}");
        }

        var view = await applicantClient.Api.Cases[caseId].GetAsync();
        seen.Add($"case: {view!.Status} {view.Reference} filing={view.Filing?.Target?.Name}");
        seen.Add($"timeline: {string.Join(" | ", view.Timeline!.Select(t => t.Event))}");
        return seen;
    }

    private static async Task<ScreeningClient> SignInAsync(HttpClient http, string email, (string Password, string? Code) credentials)
    {
        var anonymous = new ScreeningClient(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });
        var token = await anonymous.Api.Auth.Login.PostAsync(new LoginRequest { Email = email, Password = credentials.Password, TwoFactorCode = credentials.Code });
        var bearer = new BaseBearerTokenAuthenticationProvider(new StaticToken(token!.AccessToken!));
        return new ScreeningClient(new HttpClientRequestAdapter(bearer, httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });
    }

    private sealed class StaticToken(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) => Task.FromResult(token);
    }
}
