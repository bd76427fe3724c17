using Screening.Workflows.Runtime;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Screening.Web.Hosting;
using Screening.Web.Persistence;
using Screening.Web.Workflows;

namespace Screening.Web.Cases;

public sealed record SubmittedCase(Guid Id, string Reference, string Status);

/// <summary>An applicant files a case: the filing is validated field by field, the case created and the published pipeline started.</summary>
public sealed record SubmitCase(string ApplicantId, JsonNode? Filing, string? IdempotencyKey) : ICommand<SubmittedCase>;

public sealed class SubmitCaseHandler(
    ScreeningDbContext db,
    ReferenceData reference,
    DefinitionCatalog catalog,
    CaseCommands cases,
    IOptions<ScreeningOptions> options,
    TimeProvider time,
    Microsoft.Extensions.Localization.IStringLocalizer<Strings> text) : ICommandHandler<SubmitCase, SubmittedCase>
{
    public async ValueTask<SubmittedCase> Handle(SubmitCase command, CancellationToken cancellationToken)
    {
        if (command.IdempotencyKey is { } key && (key.Length is 0 or > 200 || key.Any(char.IsControl)))
        {
            throw ValidationFailedException.For("Idempotency-Key", "The key must be 1 to 200 printable characters.");
        }

        var reader = new FilingReader(reference, text);
        var filing = reader.Read(command.Filing) ?? throw new ValidationFailedException(new Dictionary<string, string[]>(reader.Errors));
        // The cleaned filing is the normal form: fields in one order, text trimmed, defaults filled in.
        var hash = command.IdempotencyKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(filing.ToJsonString())));
        if (command.IdempotencyKey is not null && await Existing(command.ApplicantId, command.IdempotencyKey, hash, cancellationToken) is { } existing)
        {
            return existing;
        }
        var definition = await catalog.GetPublishedAsync(db, options.Value.Pipeline, cancellationToken)
            ?? throw new ConflictException("The screening pipeline is not published; an administrator must publish it first.");

        var now = time.GetUtcNow();
        var host = filing["target"]!["jurisdiction"]!.GetValue<string>();
        var record = NewRecord(filing, command.ApplicantId, host, now, command.IdempotencyKey, hash);
        var submitted = new CaseCommand(command.ApplicantId, "case.submitted")
        {
            Data = new { record.Reference, host, definition = $"{definition.Definition.Key} v{definition.Definition.Version}" },
        };
        try
        {
            await cases.StartAsync(record, definition, filing, submitted, cancellationToken);
        }
        catch (DbUpdateException) when (command.IdempotencyKey is not null)
        {
            // The same key raced itself: the first submission won, and this one answers with it.
            return await Existing(command.ApplicantId, command.IdempotencyKey, hash, CancellationToken.None) ?? throw new ConflictException("The submission could not be stored; try again.");
        }

        return new SubmittedCase(record.Id, record.Reference, record.Status);
    }

    /// <summary>A new case for a read filing, as a filing and an official's opening both store it.</summary>
    public static CaseRecord NewRecord(JsonObject filing, string applicantId, string host, DateTimeOffset now, string? idempotencyKey = null, string? idempotencyHash = null) => new()
    {
        Id = SortableIds.New(now),
        Reference = CaseReferences.New(now),
        ApplicantId = applicantId,
        HostJurisdiction = host,
        Jurisdictions = host,
        Status = CaseStatuses.Submitted,
        FilingJson = filing.ToJsonString(),
        InvestorName = filing["investor"]!["name"]!.GetValue<string>(),
        TargetName = filing["target"]!["name"]!.GetValue<string>(),
        IdempotencyKey = idempotencyKey,
        IdempotencyHash = idempotencyHash,
        SubmittedAt = now.UtcDateTime,
    };

    /// <summary>The case first filed with this key, if any; the key with another filing is refused.</summary>
    private async Task<SubmittedCase?> Existing(string applicantId, string key, string? hash, CancellationToken cancellationToken)
    {
        var first = await db.Cases.AsNoTracking()
            .Where(c => c.ApplicantId == applicantId && c.IdempotencyKey == key)
            .Select(c => new { Case = new SubmittedCase(c.Id, c.Reference, c.Status), c.IdempotencyHash })
            .FirstOrDefaultAsync(cancellationToken);
        // Cases filed before hashes were kept have none: a retry of one is taken to be the same filing, as it was then.
        if (first is not null && first.IdempotencyHash is not null && first.IdempotencyHash != hash)
        {
            throw new IdempotencyKeyReusedException();
        }

        return first?.Case;
    }
}
