using System.Globalization;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Cases;

/// <summary>
/// A Canadian official opens a case for an investment that was never filed: it stays open to national-security
/// review for 5 years after its implementation (ICA s. 25.2; SOR/2009-271 s. 2). The body is a filing as the
/// investor would have made it, with <c>implementedOn</c>.
/// </summary>
public sealed record OpenCase(CurrentUser User, JsonNode? Body) : ICommand<SubmittedCase>;

public sealed class OpenCaseHandler(
    ReferenceData reference,
    DefinitionCatalog catalog,
    ScreeningDbContext db,
    CaseCommands cases,
    IOptions<ScreeningOptions> options,
    CalendarCache calendars,
    TimeProvider time,
    IStringLocalizer<Strings> text) : ICommandHandler<OpenCase, SubmittedCase>
{
    public async ValueTask<SubmittedCase> Handle(OpenCase command, CancellationToken cancellationToken)
    {
        if (command.User.Jurisdiction != "CA")
        {
            throw new ForbiddenException("Only Canada's officials open a case for an investment that was not filed (the ICA's 5-year window).");
        }

        var body = command.Body as JsonObject;
        var implementedText = body?["implementedOn"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        var filingNode = body?.DeepClone() as JsonObject;
        filingNode?.Remove("implementedOn");
        var reader = new FilingReader(reference, text);
        var filing = reader.Read(filingNode);
        var errors = new Dictionary<string, string[]>(reader.Errors);
        var today = calendars.Find("CA")?.DateOf(time.GetUtcNow()) ?? DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (!DateOnly.TryParseExact(implementedText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var implementedOn))
        {
            errors["$.implementedOn"] = ["Give the day the investment was implemented, such as 2026-03-01."];
        }
        else if (implementedOn > today)
        {
            errors["$.implementedOn"] = ["An investment not yet implemented is not reviewed on an official's initiative; it may still be filed."];
        }
        else if (implementedOn.AddYears(5) < today)
        {
            errors["$.implementedOn"] = ["More than 5 years have passed since the implementation: the investment can no longer be reviewed."];
        }

        if (filing is not null && filing["target"]?["jurisdiction"]?.GetValue<string>() != "CA")
        {
            errors["$.target.jurisdiction"] = ["The 5-year window is Canada's: the target must be a Canadian business."];
        }

        if (errors.Count > 0 || filing is null)
        {
            throw new ValidationFailedException(errors);
        }

        var definition = await catalog.GetPublishedAsync(db, options.Value.Pipeline, cancellationToken)
            ?? throw new ConflictException("The screening pipeline is not published; an administrator must publish it first.");
        var now = time.GetUtcNow();
        // No investor's account: the investor is reached outside the application.
        var record = SubmitCaseHandler.NewRecord(filing, applicantId: string.Empty, host: "CA", now);
        var opened = new CaseCommand(command.User.Id, "case.opened")
        {
            Data = new { record.Reference, implementedOn, definition = $"{definition.Definition.Key} v{definition.Definition.Version}" },
        };
        var initiative = new JsonObject { ["implementedOn"] = implementedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["openedBy"] = command.User.Id };
        await cases.StartAsync(record, definition, filing, opened, cancellationToken, new JsonObject { ["initiative"] = initiative });
        return new SubmittedCase(record.Id, record.Reference, record.Status);
    }
}
