using Microsoft.Extensions.Localization;
using Screening.Web.Cases;

namespace Screening.Web.Components.Shared;

/// <summary>
/// Reference codes as their labels in the reader's language: a page never shows a code where a word exists. A code
/// without a label (a definition's own stage, say) is shown as it is rather than as a missing resource.
/// </summary>
public static class Words
{
    public static string Jurisdiction(this IStringLocalizer l, string? code) => code switch
    {
        "CA" => l["Canada"],
        "MX" => l["Mexico"],
        _ => code ?? string.Empty,
    };

    public static string Jurisdictions(this IStringLocalizer l, IEnumerable<string> codes) => string.Join(" + ", codes.Select(c => l.Jurisdiction(c)));

    public static string Label(this IStringLocalizer l, string prefix, string? code)
    {
        if (code is null)
        {
            return string.Empty;
        }

        var text = l[$"{prefix}:{code}"];
        return text.ResourceNotFound ? code : text.Value;
    }

    public static string Stage(this IStringLocalizer l, string? stage) => l.Label("stage", stage);

    public static string Role(this IStringLocalizer l, string role) => l.Label("role", role);

    public static string Outcome(this IStringLocalizer l, string? outcome) => l.Label("outcome", outcome);

    public static string Risk(this IStringLocalizer l, string? level) => l.Label("risk", level);

    /// <summary>A case's status as officials say it (the applicant reads "awaiting your answer" where they read "awaiting the applicant").</summary>
    public static string OfficialStatus(this IStringLocalizer l, string status)
    {
        var official = l[$"official-status:{status}"];
        return official.ResourceNotFound ? l.Label("status", status) : official.Value;
    }

    public static string YesNo(this IStringLocalizer l, bool? value) => value switch
    {
        true => l["Yes"],
        false => l["No"],
        null => "—",
    };

    public static string Unit(this IStringLocalizer l, string unit) => unit == "business" ? l["BusinessDays"] : l["CalendarDays"];

    /// <summary>Days left before a due day, or how late it is ("3 days left", "overdue by 2 days", "due today").</summary>
    public static string DaysLeft(this IStringLocalizer l, int days) => days switch
    {
        0 => l["DueToday"],
        1 => l["OneDayLeft"],
        > 1 => l["NDaysLeft", days],
        -1 => l["OverdueOneDay"],
        _ => l["OverdueNDays", -days],
    };

    /// <summary>
    /// A timeline entry in the reader's language, from its <c>kind</c> and <c>detail</c>; null for the engine's own
    /// steps, which officials read (in English, as the engine traces them) behind a "details" toggle.
    /// </summary>
    public static string? Timeline(this IStringLocalizer l, TimelineItem item) => item.Kind switch
    {
        "case.submitted" => l["timeline:submitted"],
        "case.opened" => l["timeline:opened"],
        "case.withdrawn" => l["timeline:withdrawn"],
        "case.status-changed" => $"{l["Status"]}: {l.Label("status", item.Detail)}",
        "request.opened" => $"{l["timeline:request"]}: {item.Detail}",
        "request.answered" => l["timeline:answered"],
        "request.expired" => l["timeline:expired"],
        "request.cancelled" => l["timeline:request-cancelled"],
        "step.clock" => l["timeline:clock"],
        "step.clock-expiry" => l["timeline:clock-expired"],
        "step.decision" => $"{l["Decision"]}: {l.Outcome(item.Detail)}",
        "step.jurisdiction-decision" => $"{l["Decision"]} ({l.Jurisdiction(item.Jurisdiction)}): {l.Outcome(item.Detail)}",
        "step.notice" => $"{l["timeline:notice"]}: {l.Label("notice", item.Detail)}",
        "step.end" => $"{l["Status"]}: {l.Label("status", item.Detail)}",
        _ => null,
    };
}
