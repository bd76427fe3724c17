using System.Globalization;
using System.Text.Json.Nodes;
using Screening.Web.Tests.Infrastructure;

namespace Screening.Web.Tests.Reviews;

/// <summary>
/// A queue page is kept between reads: a new task, a task claimed by someone else and a task falling overdue
/// each show on the next read, with nothing else happening in between.
/// </summary>
public sealed class QueueCacheTests
{
    [Fact]
    public async Task EveryChangeAndEveryDeadlineShowsOnTheNextRead()
    {
        using var factory = new ScreeningFactory();
        var scenario = new Scenario(factory);
        var officer = factory.As(ScreeningFactory.OfficerCa);
        var first = await scenario.FileAsync(Scenario.LowRiskCa());

        var before = await QueueAsync(officer);
        var task = Assert.Single(before, t => t.S("caseId") == first);
        Assert.False(task!["overdue"]!.GetValue<bool>());
        Assert.Equal(before.ToJsonString(), (await QueueAsync(officer)).ToJsonString());

        var second = await scenario.FileAsync(Scenario.LowRiskCa());
        var withSecond = await QueueAsync(officer);
        Assert.Equal([first, second], withSecond.Select(t => t.S("caseId")).Where(c => c == first || c == second));

        await factory.As(ScreeningFactory.OfficerCa2).Post($"/api/tasks/{task.S("id")}/claim").Ok();
        var afterClaim = await QueueAsync(officer);
        Assert.DoesNotContain(afterClaim, t => t.S("caseId") == first);

        // No change at all, only time: the second case's task is due and shows overdue.
        var due = DateTimeOffset.Parse(afterClaim.Single(t => t.S("caseId") == second).S("dueAt"), CultureInfo.InvariantCulture);
        factory.Time.SetUtcNow(due.AddMinutes(1));
        var late = (await QueueAsync(officer)).Single(t => t.S("caseId") == second);
        Assert.True(late!["overdue"]!.GetValue<bool>());
    }

    private static async Task<JsonArray> QueueAsync(HttpClient officer) => (await officer.Get("/api/tasks?scope=available").Ok()).AsArray();
}
