namespace Screening.Workflows.Calendars;

/// <summary>
/// A jurisdiction's working calendar: which weekdays are weekend, which dates are holidays, and the
/// time zone in which its days begin and end. Immutable; replace it to correct holidays.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>Longest period accepted, so a hostile day count cannot spin a loop for long.</summary>
    public const int MaxDays = 3660;

    private readonly HashSet<DateOnly> _holidays;
    private readonly bool[] _weekend = new bool[7];

    /// <summary>Creates a calendar.</summary>
    public BusinessCalendar(string code, string name, IEnumerable<DayOfWeek> weekend, IEnumerable<DateOnly> holidays, string timeZoneId = "UTC")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
        Name = name;
        foreach (var day in weekend)
        {
            _weekend[(int)day] = true;
        }

        if (_weekend.All(w => w))
        {
            throw new ArgumentException("A calendar needs at least one working weekday.", nameof(weekend));
        }

        _holidays = [.. holidays];
        TimeZoneId = timeZoneId;
        TimeZone = ResolveTimeZone(timeZoneId);
    }

    /// <summary>The calendar's code, for example <c>CA</c> or <c>MX</c>.</summary>
    public string Code { get; }

    /// <summary>A human name.</summary>
    public string Name { get; }

    /// <summary>The IANA time zone id in which the calendar's days are counted.</summary>
    public string TimeZoneId { get; }

    /// <summary>The resolved time zone (UTC when the id is unknown on this machine).</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Weekend days, in week order from Sunday.</summary>
    public IReadOnlyList<DayOfWeek> Weekend => [.. Enumerable.Range(0, 7).Where(d => _weekend[d]).Select(d => (DayOfWeek)d)];

    /// <summary>Every holiday the calendar holds, sorted.</summary>
    public IReadOnlyList<DateOnly> Holidays => [.. _holidays.Order()];

    /// <summary>True when the date is a weekend day or a holiday.</summary>
    public bool IsNonBusinessDay(DateOnly date) => _weekend[(int)date.DayOfWeek] || _holidays.Contains(date);

    /// <summary>True when the date is a holiday of this calendar.</summary>
    public bool IsHoliday(DateOnly date) => _holidays.Contains(date);

    /// <summary>
    /// The due date of a period of <paramref name="days"/> days starting on <paramref name="start"/>:
    /// day 1 is the first counted day after the start.
    /// </summary>
    public DateOnly AddDays(DateOnly start, int days, DayUnit unit)
    {
        if (days < 0 || days > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, $"A period must be between 0 and {MaxDays} days.");
        }

        switch (unit)
        {
            case DayUnit.Calendar:
                return start.AddDays(days);
            case DayUnit.CalendarRolling:
                return NextBusinessDayOnOrAfter(start.AddDays(days));
            case DayUnit.Business:
                var date = start;
                for (var counted = 0; counted < days;)
                {
                    date = date.AddDays(1);
                    if (!IsNonBusinessDay(date))
                    {
                        counted++;
                    }
                }

                return date;
            default:
                throw new ArgumentOutOfRangeException(nameof(unit));
        }
    }

    /// <summary>
    /// How many counted days lie in (<paramref name="from"/>, <paramref name="to"/>]: zero when
    /// <paramref name="to"/> is not after <paramref name="from"/>. Rolling periods consume calendar days.
    /// </summary>
    public int CountDays(DateOnly from, DateOnly to, DayUnit unit)
    {
        if (to <= from)
        {
            return 0;
        }

        if (unit != DayUnit.Business)
        {
            return to.DayNumber - from.DayNumber;
        }

        var count = 0;
        for (var date = from.AddDays(1); date <= to; date = date.AddDays(1))
        {
            if (!IsNonBusinessDay(date))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The given date if it is a business day, else the next one.</summary>
    public DateOnly NextBusinessDayOnOrAfter(DateOnly date)
    {
        // A calendar with a working weekday always finds one within a year plus the holidays.
        while (IsNonBusinessDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The calendar date of an instant in this calendar's time zone.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>The instant a date ends in this calendar's time zone (local midnight of the next day), in UTC.</summary>
    public DateTimeOffset EndOf(DateOnly date)
    {
        var nextMidnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var offset = TimeZone.GetUtcOffset(nextMidnight);
        return new DateTimeOffset(nextMidnight, offset).ToUniversalTime();
    }

    /// <summary>A copy with other holidays and weekend.</summary>
    public BusinessCalendar With(IEnumerable<DayOfWeek>? weekend = null, IEnumerable<DateOnly>? holidays = null) =>
        new(Code, Name, weekend ?? Weekend, holidays ?? _holidays, TimeZoneId);

    private static TimeZoneInfo ResolveTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
        catch (InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
