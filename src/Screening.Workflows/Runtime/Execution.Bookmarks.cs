using System.Text.Json.Nodes;

namespace Screening.Workflows.Runtime;

/// <summary>Bookmarks: what branches wait on (tasks, requests, timers), opened and closed with their effects.</summary>
internal sealed partial class Execution
{
    public void Wait(Token token, Bookmark bookmark)
    {
        Instance.Bookmarks.Add(bookmark);
        token.State = TokenState.Waiting;
    }

    public Bookmark AddTimer(BookmarkKind kind, string stepId, string? tokenId, string? parentId, DateTimeOffset dueAt)
    {
        var timer = new Bookmark { Id = NewBookmarkId(), Kind = kind, StepId = stepId, TokenId = tokenId, ParentId = parentId, CreatedAt = Now, DueAt = dueAt };
        Instance.Bookmarks.Add(timer);
        Emit(new TimerSet(timer));
        return timer;
    }

    /// <summary>Removes a bookmark, its timer and its dependent timers, and remembers it as closed.</summary>
    public void CloseBookmark(Bookmark bookmark, bool fired = false)
    {
        Instance.Bookmarks.Remove(bookmark);
        Instance.ClosedBookmarks.Add(bookmark.Id);
        if (bookmark.IsTimer)
        {
            Emit(fired ? new TimerFired(bookmark) : new TimerCancelled(bookmark));
        }

        foreach (var child in Instance.Bookmarks.Where(b => b.ParentId == bookmark.Id && b.IsTimer).ToList())
        {
            CloseBookmark(child);
        }
    }

    public void CancelBookmark(Bookmark bookmark)
    {
        if (Instance.FindBookmark(bookmark.Id) is null)
        {
            return;
        }

        switch (bookmark.Kind)
        {
            case BookmarkKind.Task:
                CloseTask(bookmark, null, TaskCloseReason.Cancelled);
                break;
            case BookmarkKind.InformationRequest:
                CloseRequest(bookmark, RequestCloseReason.Cancelled, null);
                break;
            default:
                CloseBookmark(bookmark);
                break;
        }
    }

    public void OpenTask(Token token, Bookmark task)
    {
        Wait(token, task);
        Emit(new TaskOpened(task));
    }

    public void CloseTask(Bookmark task, string? outcome, TaskCloseReason reason, string? comment = null)
    {
        CloseBookmark(task);
        Emit(new TaskClosed(task, outcome, Actor, reason, comment));
    }

    /// <summary>Opens a request for information: its expiry timer, and the clock it stops where its policy allows.</summary>
    public void OpenRequest(Bookmark request)
    {
        if (request.TokenId is { } tokenId && Instance.Tokens.FirstOrDefault(t => t.Id == tokenId) is { } token)
        {
            Wait(token, request);
        }
        else
        {
            Instance.Bookmarks.Add(request);
        }

        Emit(new RequestOpened(request));
        if (request.DueAt is { } due)
        {
            AddTimer(BookmarkKind.RequestExpiry, request.StepId, null, request.Id, due);
        }

        if (request.Request!.StopsClock is { } clockName)
        {
            var stopped = StopClocks(clockName, request.Request.StopsClockOf, request.Id);
            request.Request.StoppedClocks = stopped.Count;
        }
    }

    /// <summary>Closes a request; a clock it stopped resumes (once no other reason holds it).</summary>
    public void CloseRequest(Bookmark request, RequestCloseReason reason, string? answer)
    {
        CloseBookmark(request);
        Emit(new RequestClosed(request, reason, answer));
        if (request.Request!.StopsClock is { } clockName)
        {
            ResumeClocks(clockName, request.Request.StopsClockOf, request.Id);
        }
    }

    /// <summary>Answers a request; the answer as the workflow keeps it.</summary>
    public JsonObject AnswerRequest(Bookmark request, ResumeInput input)
    {
        CloseRequest(request, RequestCloseReason.Answered, input.Comment);
        return new JsonObject
        {
            ["question"] = request.Request!.Question,
            ["answer"] = input.Comment,
            ["answeredBy"] = input.Actor,
            ["answeredAt"] = Now.UtcDateTime.ToString("O"),
        };
    }
}
