namespace Screening.Web.Admin;

/// <summary>
/// Real time plus an offset that administrators move forward (training and test environments). The
/// offset is stored, so a restart keeps the simulated date.
/// </summary>
public sealed class SimulatedTimeProvider(TimeProvider real) : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => real.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => real.LocalTimeZone;

    public override long GetTimestamp() => real.GetTimestamp();

    public override long TimestampFrequency => real.TimestampFrequency;

    public void SetOffset(TimeSpan offset) => Interlocked.Exchange(ref _offsetTicks, offset.Ticks);

    /// <summary>Moves the clock to an instant, never backwards.</summary>
    public void MoveTo(DateTimeOffset instant)
    {
        var offset = instant - real.GetUtcNow();
        if (offset > Offset)
        {
            SetOffset(offset);
        }
    }
}
