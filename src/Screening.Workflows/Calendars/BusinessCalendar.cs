namespace Screening.Workflows.Calendars;

/// <summary>What a holiday is for: a day no business is done, a legal holiday for time limits, or both.</summary>
[Flags]
public enum HolidayKind
{
    /// <summary>A non-business day (no business day counts it; rolling periods move past it).</summary>
    NonBusiness = 1,

    /// <summary>A legal holiday (a time limit ending on it may be met the next day that is not one).</summary>
    Legal = 2,

    /// <summary>Both.</summary>
    Both = NonBusiness | Legal,
}

/// <summary>A named holiday of a calendar.</summary>
/// <param name="Date">The day.</param>
/// <param name="Name">Its name.</param>
/// <param name="Source">Where it comes from: the statute, or the decree that declared it.</param>
/// <param name="Kind">What it counts as.</param>
public sealed record Holiday(DateOnly Date, string Name, string? Source = null, HolidayKind Kind = HolidayKind.Both);

/// <summary>
/// A jurisdiction's working calendar: which weekdays are weekend, which dates are holidays, and the
/// time zone in which its days begin and end. Immutable; replace it to correct holidays.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>Longest period accepted, so a hostile day count cannot spin a loop for long.</summary>
    public const int MaxDays = 3660;

    /// <summary>Monday to Friday with no holidays, in UTC: for a step or clock that names no calendar.</summary>
    public static BusinessCalendar Weekdays { get; } = new("default", "Weekdays", [DayOfWeek.Saturday, DayOfWeek.Sunday], []);

    private readonly HashSet<DateOnly> _holidays;
    private readonly HashSet<DateOnly> _legal;
    private readonly Dictionary<DateOnly, Holiday> _named;
    private readonly bool[] _weekend = new bool[7];
    private readonly bool[] _legalWeekdays = new bool[7];

    /// <summary>Creates a calendar whose holidays are both non-business days and legal holidays, as are its weekend days.</summary>
    public BusinessCalendar(string code, string name, IEnumerable<DayOfWeek> weekend, IEnumerable<DateOnly> holidays, string timeZoneId = "UTC")
        : this(code, name, [.. weekend], holidays.Select(d => new Holiday(d, string.Empty)), null, timeZoneId)
    {
    }

    /// <summary>
    /// Creates a calendar of named holidays, each a non-business day, a legal holiday or both; the weekdays that
    /// are legal holidays every week (Sunday, in Canada) are given apart, and default to the weekend.
    /// </summary>
    public BusinessCalendar(string code, string name, IReadOnlyCollection<DayOfWeek> weekend, IEnumerable<Holiday> holidays, IEnumerable<DayOfWeek>? legalWeekdays, string timeZoneId = "UTC")
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

        _named = [];
        foreach (var holiday in holidays)
        {
            _named[holiday.Date] = _named.TryGetValue(holiday.Date, out var same)
                ? same with { Kind = same.Kind | holiday.Kind, Name = same.Name.Length > 0 ? same.Name : holiday.Name }
                : holiday;
        }

        _holidays = [.. _named.Values.Where(h => h.Kind.HasFlag(HolidayKind.NonBusiness)).Select(h => h.Date)];
        _legal = [.. _named.Values.Where(h => h.Kind.HasFlag(HolidayKind.Legal)).Select(h => h.Date)];
        foreach (var day in legalWeekdays ?? weekend)
        {
            _legalWeekdays[(int)day] = true;
        }

        if (_legalWeekdays.All(w => w))
        {
            throw new ArgumentException("A calendar needs at least one weekday that is not a legal holiday.", nameof(legalWeekdays));
        }

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

    /// <summary>Every non-business holiday the calendar holds, sorted.</summary>
    public IReadOnlyList<DateOnly> Holidays => [.. _holidays.Order()];

    /// <summary>Every legal holiday date the calendar holds (beside its legal weekdays), sorted.</summary>
    public IReadOnlyList<DateOnly> LegalHolidays => [.. _legal.Order()];

    /// <summary>The weekdays that are legal holidays every week.</summary>
    public IReadOnlyList<DayOfWeek> LegalWeekdays => [.. Enumerable.Range(0, 7).Where(d => _legalWeekdays[d]).Select(d => (DayOfWeek)d)];

    /// <summary>Every holiday with its name, source and kind, sorted.</summary>
    public IReadOnlyList<Holiday> Named => [.. _named.Values.OrderBy(h => h.Date)];

    /// <summary>True when the date is a weekend day or a holiday.</summary>
    public bool IsNonBusinessDay(DateOnly date) => _weekend[(int)date.DayOfWeek] || _holidays.Contains(date);

    /// <summary>True when the date is a (non-business) holiday of this calendar.</summary>
    public bool IsHoliday(DateOnly date) => _holidays.Contains(date);

    /// <summary>True when the date is a legal holiday: a legal weekday or a legal holiday date.</summary>
    public bool IsLegalHoliday(DateOnly date) => _legalWeekdays[(int)date.DayOfWeek] || _legal.Contains(date);

    /// <summary>The holiday on a date, or null.</summary>
    public Holiday? HolidayOn(DateOnly date) => _named.GetValueOrDefault(date);

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
            case DayUnit.CalendarHolidayRolling:
                var due = start.AddDays(days);
                while (IsLegalHoliday(due))
                {
                    due = due.AddDays(1);
                }

                return due;
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
    public BusinessCalendar With(IEnumerable<DayOfWeek>? weekend = null, IEnumerable<Holiday>? holidays = null) =>
        new(Code, Name, [.. weekend ?? Weekend], holidays ?? _named.Values, LegalWeekdays, TimeZoneId);

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
