using System.Security.Cryptography;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Persistence;

namespace Screening.Web.Letters;

/// <summary>A letter template as administrators read it: the text in force, and whether it is the shipped one.</summary>
public sealed record LetterTemplateView(string Kind, string Language, string Template, bool IsDefault, DateTimeOffset? UpdatedAt, string? UpdatedBy);

public sealed record LetterTemplateBody(string? Template);

public sealed record GetLetterTemplate(string Kind, string Language) : IQuery<LetterTemplateView>;

/// <summary>Replaces a letter template; refused with the parser's message at <c>$.template</c> when Fluid cannot parse it.</summary>
public sealed record PutLetterTemplate(string Actor, string Kind, string Language, string? Template) : ICommand<LetterTemplateView>;

public sealed class LetterTemplateHandlers(ScreeningDbContext db, AuditTrail audit, UnitOfWork unitOfWork, TimeProvider time)
    : IQueryHandler<GetLetterTemplate, LetterTemplateView>, ICommandHandler<PutLetterTemplate, LetterTemplateView>
{
    public const int MaxLength = 100_000;

    public async ValueTask<LetterTemplateView> Handle(GetLetterTemplate query, CancellationToken cancellationToken)
    {
        Known(query.Kind, query.Language);
        var stored = await db.LetterTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Kind == query.Kind && t.Language == query.Language, cancellationToken);
        return stored is null
            ? new LetterTemplateView(query.Kind, query.Language, LetterTemplates.Default(query.Kind, query.Language), true, null, null)
            : View(stored);
    }

    public async ValueTask<LetterTemplateView> Handle(PutLetterTemplate command, CancellationToken cancellationToken)
    {
        Known(command.Kind, command.Language);
        if (string.IsNullOrWhiteSpace(command.Template))
        {
            throw ValidationFailedException.For("$.template", "Send the template's Liquid text.");
        }

        if (command.Template.Length > MaxLength)
        {
            throw ValidationFailedException.For("$.template", $"A template is at most {MaxLength} characters.");
        }

        if (!LetterTemplates.TryParse(command.Template, out _, out var error))
        {
            throw ValidationFailedException.For("$.template", $"The template is not valid Liquid: {error}");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var stored = await db.LetterTemplates.FirstOrDefaultAsync(t => t.Kind == command.Kind && t.Language == command.Language, cancellationToken);
        if (stored is null)
        {
            stored = new LetterTemplateRecord { Kind = command.Kind, Language = command.Language, Text = command.Template, UpdatedBy = command.Actor, UpdatedAt = now };
            db.LetterTemplates.Add(stored);
        }
        else
        {
            stored.Text = command.Template;
            stored.UpdatedBy = command.Actor;
            stored.UpdatedAt = now;
        }

        audit.Record(command.Actor, "letter-template.updated", null, new
        {
            kind = command.Kind,
            language = command.Language,
            sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(command.Template))),
            length = command.Template.Length,
        });
        await unitOfWork.CommitAsync(cancellationToken);
        return View(stored);
    }

    private static LetterTemplateView View(LetterTemplateRecord t) => new(t.Kind, t.Language, t.Text, false, Cases.CaseViews.Utc(t.UpdatedAt), t.UpdatedBy);

    private static void Known(string kind, string language)
    {
        if (!LetterTemplates.IsKnown(kind, language))
        {
            throw new NotFoundException($"There is no letter template '{kind}' in '{language}': kinds are {string.Join(", ", LetterKinds.All)}; languages en, fr, es.");
        }
    }
}
