using System.Globalization;
using System.Resources;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Screening.Web.Audit;
using Screening.Web.Documents;
using Screening.Web.Persistence;
using Screening.Workflows.Runtime;

namespace Screening.Web.Letters;

/// <summary>
/// Makes the letters of one act from its outbox row, after the command that did the act committed: a PDF per
/// language, each stored as an applicant document of the case (purpose <c>letter</c>) and recorded with its
/// SHA-256 in the audit trail, then the row marked delivered, all in one commit. Run twice, it finds the letters
/// made (one per case, act and language) and makes none.
/// </summary>
public sealed record MakeLetters(Guid OutboxId) : ICommand<int>;

public sealed class MakeLettersHandler(ScreeningDbContext db, IContentStore store, AuditTrail audit, UnitOfWork unitOfWork, TimeProvider time, ILogger<MakeLettersHandler> logger)
    : ICommandHandler<MakeLetters, int>
{
    internal static readonly ResourceManager Words = new("Screening.Web.Resources.Strings", typeof(MakeLettersHandler).Assembly);

    public async ValueTask<int> Handle(MakeLetters command, CancellationToken cancellationToken)
    {
        var message = await db.Outbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == command.OutboxId, cancellationToken);
        if (message is null || message.DeliveredAt is not null || message.CaseId is not { } caseId || message.DataJson is null)
        {
            return 0;
        }

        var act = LetterAct.FromJson(message.DataJson);
        var record = await db.Cases.AsNoTracking().FirstAsync(c => c.Id == caseId, cancellationToken);
        var applicantLanguage = await db.Users.AsNoTracking().Where(u => u.Id == record.ApplicantId).Select(u => u.Language).FirstOrDefaultAsync(cancellationToken);
        var made = await db.Letters.AsNoTracking().Where(l => l.CaseId == caseId && l.ActId == act.ActId).Select(l => l.Language).ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var added = new List<string>();
        var count = 0;
        var languages = act.LanguagesFor(applicantLanguage).Except(made).ToList();
        var templates = await LetterTemplates.CurrentAsync(db, act.Kind, languages, cancellationToken);
        foreach (var language in languages)
        {
            var text = await LetterTemplates.RenderAsync(templates[language], Model(act, record, language));
            var pdf = LetterPdf.Render(text, $"{record.Reference} {act.Kind}", record.Reference);
            using var staged = await store.StageAsync(new MemoryStream(pdf), long.MaxValue, cancellationToken)
                ?? throw new InvalidOperationException("A letter could not be staged.");
            if (await store.PutAsync(staged, cancellationToken))
            {
                added.Add(staged.Sha256);
            }

            var document = new DocumentRecord
            {
                Id = SortableIds.New(time.GetUtcNow()),
                CaseId = caseId,
                Name = $"{record.Reference}-{act.Kind}-{language}.pdf",
                ContentType = "application/pdf",
                Size = staged.Length,
                Sha256 = staged.Sha256,
                Classification = DocumentClassifications.Applicant,
                Jurisdiction = act.Jurisdiction,
                UploadedBy = WorkflowRunner.SystemActor,
                UploadedAt = now,
                Purpose = DocumentPurposes.Letter,
            };
            var letter = new LetterRecord
            {
                Id = SortableIds.New(time.GetUtcNow()),
                CaseId = caseId,
                ActId = act.ActId,
                Kind = act.Kind,
                Language = language,
                DocumentId = document.Id,
                CreatedAt = now,
            };
            db.Documents.Add(document);
            db.Letters.Add(letter);
            audit.Record(WorkflowRunner.SystemActor, "letter.created", caseId, new
            {
                letter = letter.Id,
                act = act.ActId,
                kind = act.Kind,
                language,
                document = document.Id,
                sha256 = document.Sha256,
                size = document.Size,
            });
            count++;
        }

        Jobs.OutboxMarks.MarkDelivered(unitOfWork, [message.Id], now);
        try
        {
            await unitOfWork.CommitAsync(CancellationToken.None);
        }
        catch
        {
            // Content no committed row names is removed again (unless another letter or upload holds the same bytes).
            foreach (var sha in added)
            {
                if (!await db.Documents.AsNoTracking().AnyAsync(d => d.Sha256 == sha, CancellationToken.None))
                {
                    await store.DeleteAsync(sha, CancellationToken.None);
                }
            }

            throw;
        }

        logger.LogInformation("{Count} letter(s) of {Act} made for case {Case}.", count, act.ActId, record.Reference);
        return count;
    }

    /// <summary>What a template may say: the case's facts and the act's, in the letter's language.</summary>
    internal static Dictionary<string, object?> Model(LetterAct act, CaseRecord record, string language)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        string? Word(string? key) => key is null ? null : Words.GetString(key, culture);
        string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var notice = act.Title is { } titles && (titles.TryGetValue(language, out var title) || titles.TryGetValue("en", out title))
            ? title
            : act.NoticeKind is { } noticeKind ? Word("notice:" + noticeKind) ?? noticeKind : null;
        return new Dictionary<string, object?>
        {
            ["kind"] = act.Kind,
            ["language"] = language,
            ["reference"] = record.Reference,
            ["investor"] = record.InvestorName,
            ["target"] = record.TargetName,
            ["date"] = Date(act.Date),
            ["jurisdiction"] = act.Jurisdiction,
            ["government"] = Word("letter:jurisdiction:" + act.Jurisdiction) ?? act.Jurisdiction,
            ["outcome"] = act.Outcome is null ? null : Word("outcome:" + act.Outcome) ?? act.Outcome,
            ["authority"] = act.Authority is null ? null : Word("authority:" + act.Authority) ?? act.Authority,
            ["basis"] = act.Basis,
            ["notice"] = notice,
            ["question"] = act.Question,
            ["answer_by"] = act.AnswerBy is { } answerBy ? Date(answerBy) : null,
            ["conditions"] = act.Conditions.Select(c => (object)new Dictionary<string, object?>
            {
                ["text"] = c.Text,
                ["due"] = c.DueDate is { } due ? Date(due) : null,
            }).ToList(),
        };
    }
}
