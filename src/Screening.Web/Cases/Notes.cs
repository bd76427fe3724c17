using Screening.Web.Identity;
using Screening.Web.Persistence;

namespace Screening.Web.Cases;

public sealed record NoteView(Guid Id, string Jurisdiction, string Author, bool Restricted, string Text, DateTimeOffset At);

/// <summary>How notes are shown and who may read them: shared by adding a note and reading a case.</summary>
public static class Notes
{
    public static NoteView View(CaseNote note, string author) =>
        new(note.Id, note.Jurisdiction, author, note.Restricted, note.Text, CaseViews.Utc(note.At));

    /// <summary>The notes a government user may read: shared ones, and restricted ones of their own jurisdiction.</summary>
    public static IQueryable<CaseNote> VisibleTo(IQueryable<CaseNote> notes, CurrentUser user) =>
        user.IsAdmin ? notes : notes.Where(n => !n.Restricted || n.Jurisdiction == user.Jurisdiction);
}
