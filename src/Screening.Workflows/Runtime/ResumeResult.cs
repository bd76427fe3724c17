using System.Text.Json.Nodes;

namespace Screening.Workflows.Runtime;

/// <summary>What resuming, firing or raising did.</summary>
public enum ResumeStatus
{
    /// <summary>The instance moved on.</summary>
    Resumed,

    /// <summary>The bookmark was already resumed or cancelled: nothing was done (a safe repeat).</summary>
    AlreadyResumed,

    /// <summary>No such bookmark, incident or event handler.</summary>
    NotFound,

    /// <summary>A timer that is not due yet: nothing was done.</summary>
    NotDue,

    /// <summary>Refused (wrong outcome, four eyes, finished instance): nothing was done.</summary>
    Rejected,
}

/// <summary>The result of a resume, a timer, an event or a retry.</summary>
/// <param name="Status">What happened.</param>
/// <param name="Message">Why, for anything but <see cref="ResumeStatus.Resumed"/>.</param>
/// <param name="BookmarkId">A bookmark it created (the id of a new request for information).</param>
public sealed record ResumeResult(ResumeStatus Status, string? Message = null, string? BookmarkId = null)
{
    /// <summary>True when the instance moved on.</summary>
    public bool Succeeded => Status == ResumeStatus.Resumed;

    internal static ResumeResult Ok(string? bookmarkId = null) => new(ResumeStatus.Resumed, null, bookmarkId);

    internal static ResumeResult Reject(string message) => new(ResumeStatus.Rejected, message);
}

/// <summary>What a person (or the system) resumes a bookmark with.</summary>
/// <param name="Actor">Who acts: a user id, or <c>system</c>.</param>
/// <param name="Outcome">For a task: one of its outcomes. Ignored for requests.</param>
/// <param name="Comment">A comment (for a request: the answer).</param>
/// <param name="Data">Extra data kept with the result (for example conditions).</param>
public sealed record ResumeInput(string Actor, string? Outcome = null, string? Comment = null, JsonNode? Data = null);
