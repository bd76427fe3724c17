using Screening.Workflows.Runtime;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Screening.Web.Audit;
using Screening.Web.Hosting;
using Screening.Web.Identity;
using Screening.Web.Persistence;
using Screening.Web.Reviews;

namespace Screening.Web.Cases;

public sealed record NoteBody(string? Text, bool? Restricted);

/// <summary>
/// An official notes something on a case of their jurisdiction. A restricted note is for their own
/// government only; a shared one both governments read. Applicants never see notes.
/// </summary>
public sealed record AddNote(CurrentUser User, Guid CaseId, NoteBody Body) : ICommand<NoteView>;

public sealed class AddNoteHandler(ScreeningDbContext db, UnitOfWork unitOfWork, AuditTrail audit, TimeProvider time, IStringLocalizer<Strings> text) : ICommandHandler<AddNote, NoteView>
{
    public async ValueTask<NoteView> Handle(AddNote command, CancellationToken cancellationToken)
    {
        var record = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == command.CaseId, cancellationToken);
        if (record is null || !command.User.IsOfficial || !CaseViews.CanRead(command.User, record) || command.User.Jurisdiction is not { } jurisdiction)
        {
            throw new NotFoundException(text["err:no-case"]);
        }

        var errors = new Dictionary<string, string[]>();
        TaskAccess.CheckText(text, command.Body.Text, "$.text", 10_000, required: true, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var note = new CaseNote
        {
            Id = SortableIds.New(time.GetUtcNow()),
            CaseId = record.Id,
            AuthorId = command.User.Id,
            Jurisdiction = jurisdiction,
            Restricted = command.Body.Restricted ?? true,
            Text = command.Body.Text!.Trim(),
            At = time.GetUtcNow().UtcDateTime,
        };
        db.Notes.Add(note);
        audit.Record(command.User.Id, "note.added", record.Id, new { note = note.Id, jurisdiction, restricted = note.Restricted });
        await unitOfWork.CommitAsync(cancellationToken);
        return Notes.View(note, command.User.Id);
    }
}
