using System.Collections.Concurrent;

namespace Screening.Workflows.Expressions;

/// <summary>
/// Sessions of one definition version, reused: building a JavaScript realm costs more than most steps.
/// A session returned to the pool is cleared of every global a run left, so one instance's data never
/// reaches another's expressions.
/// </summary>
public sealed class ExpressionPool(ExpressionLimits limits, int capacity = 16)
{
    private readonly ConcurrentBag<ExpressionSession> _sessions = [];

    /// <summary>A session for one run.</summary>
    public ExpressionSession Rent() => _sessions.TryTake(out var session) ? session : ExpressionSandbox.CreateSession(limits);

    /// <summary>Gives a session back after its run.</summary>
    public void Return(ExpressionSession session)
    {
        session.Clear();
        if (_sessions.Count < capacity)
        {
            _sessions.Add(session);
        }
    }
}
