using Screening.Workflows.Steps;

namespace Screening.Workflows.Definitions;

/// <summary>Checks the flowchart as a whole: ids, connections, reachability, joins and ends.</summary>
internal static class GraphValidator
{
    public static void Validate(WorkflowDefinition definition, StepRegistry registry, IReadOnlyDictionary<string, StepSettings> settings, List<ValidationProblem> problems)
    {
        var byId = new Dictionary<string, StepDefinition>();
        foreach (var step in definition.Steps)
        {
            if (!byId.TryAdd(step.Id, step))
            {
                problems.Add(new($"{step.Path}.id", ProblemCodes.DuplicateId, $"Another step already has the id '{step.Id}'; ids must be unique.", step.Id));
            }
        }

        if (!byId.ContainsKey(definition.Start))
        {
            problems.Add(new("$.start", ProblemCodes.DanglingConnection, $"The start step '{definition.Start}' does not exist."));
        }

        foreach (var step in definition.Steps)
        {
            CheckOutcomes(step, registry.Find(step.Type)?.Outcomes, byId, problems);
        }

        foreach (var route in definition.Events)
        {
            if (string.IsNullOrEmpty(route.To))
            {
                problems.Add(new($"$.events.{route.Name}", ProblemCodes.OutcomeWithoutRoute, $"Event '{route.Name}' is not routed to any step."));
            }
            else if (!byId.ContainsKey(route.To))
            {
                problems.Add(new($"$.events.{route.Name}", ProblemCodes.DanglingConnection, $"Event '{route.Name}' leads to '{route.To}', which does not exist."));
            }
        }

        CheckReachability(definition, byId, problems);
        CheckEnds(definition, registry, byId, problems);
        CheckJoins(definition, registry, byId, settings, problems);
        CheckEventReferences(definition, settings, problems);
    }

    private static void CheckOutcomes(StepDefinition step, StepOutcomes? rule, Dictionary<string, StepDefinition> byId, List<ValidationProblem> problems)
    {
        foreach (var outcome in step.Outcomes)
        {
            var path = $"{step.Path}.outcomes.{outcome.Name}";
            if (string.IsNullOrEmpty(outcome.To))
            {
                problems.Add(new(path, ProblemCodes.OutcomeWithoutRoute, $"Outcome '{outcome.Name}' of step '{step.Id}' is not routed to any step.", step.Id));
            }
            else if (!byId.ContainsKey(outcome.To))
            {
                problems.Add(new(path, ProblemCodes.DanglingConnection, $"Outcome '{outcome.Name}' of step '{step.Id}' leads to '{outcome.To}', which does not exist.", step.Id));
            }
        }

        if (rule is null)
        {
            return;
        }

        foreach (var required in rule.Required)
        {
            RequireOutcome(step, required, problems);
        }

        if (rule.Allowed is not null)
        {
            Unexpected(step, [.. rule.Allowed], problems);
        }
        else if (step.Outcomes.Count < rule.Minimum)
        {
            problems.Add(new($"{step.Path}.outcomes", ProblemCodes.MissingConnection,
                $"Step '{step.Id}' ({step.Type}) needs at least {(rule.Minimum == 1 ? "one outcome" : $"{rule.Minimum} outcomes")}.", step.Id));
        }
    }

    private static void RequireOutcome(StepDefinition step, string outcome, List<ValidationProblem> problems)
    {
        if (!step.HasOutcome(outcome))
        {
            problems.Add(new($"{step.Path}.outcomes", ProblemCodes.MissingConnection, $"Step '{step.Id}' needs an outcome '{outcome}' leading to the next step.", step.Id));
        }
    }

    private static void Unexpected(StepDefinition step, string[] allowed, List<ValidationProblem> problems)
    {
        foreach (var outcome in step.Outcomes.Where(o => !allowed.Contains(o.Name)))
        {
            var expected = allowed.Length == 0 ? "none (it ends the workflow)" : string.Join(", ", allowed.Select(a => $"'{a}'"));
            problems.Add(new($"{step.Path}.outcomes.{outcome.Name}", ProblemCodes.UnexpectedOutcome,
                $"Step '{step.Id}' ({step.Type}) has no outcome '{outcome.Name}'; its outcomes are {expected}.", step.Id));
        }
    }

    private static void CheckReachability(WorkflowDefinition definition, Dictionary<string, StepDefinition> byId, List<ValidationProblem> problems)
    {
        var roots = new[] { definition.Start }.Concat(definition.Events.Select(e => e.To));
        var reached = Reach(roots, id => byId.TryGetValue(id, out var s) ? s.Outcomes.Select(o => o.To) : []);
        var unreached = definition.Steps.Where(s => !reached.Contains(s.Id)).ToList();

        // One broken connection can cut off a whole part of the flowchart: report the steps where each cut-off
        // part begins (nothing leads to them, or they start a cycle), with how many steps follow from them.
        var explained = new HashSet<string>();
        var incoming = definition.Steps.SelectMany(s => s.Outcomes.Select(o => (From: s.Id, o.To))).ToLookup(e => e.To, e => e.From);
        foreach (var step in unreached.Where(s => !incoming[s.Id].Any(from => !reached.Contains(from) && from != s.Id)).Concat(unreached))
        {
            if (explained.Contains(step.Id))
            {
                continue;
            }

            var following = Reach([step.Id], id => byId.TryGetValue(id, out var s) ? s.Outcomes.Select(o => o.To) : []);
            following.IntersectWith(unreached.Select(u => u.Id));
            explained.UnionWith(following);
            var more = following.Count - 1;
            problems.Add(new(step.Path, ProblemCodes.UnreachableStep,
                $"Step '{step.Id}' can never run: no connection leads to it from the start or an event" + (more > 0 ? $" (nor to the {more} step(s) that follow from it)." : "."),
                step.Id));
        }
    }

    private static void CheckEnds(WorkflowDefinition definition, StepRegistry registry, Dictionary<string, StepDefinition> byId, List<ValidationProblem> problems)
    {
        var ends = definition.Steps.Where(s => registry.Find(s.Type) is EndStep).Select(s => s.Id).ToList();
        if (ends.Count == 0)
        {
            problems.Add(new("$.steps", ProblemCodes.MissingEnd, "The definition has no 'end' step, so no case could ever finish."));
            return;
        }

        // Walk backwards from the ends: a step from which no end can be reached traps its cases.
        var incoming = definition.Steps
            .SelectMany(s => s.Outcomes.Select(o => (From: s.Id, o.To)))
            .ToLookup(e => e.To, e => e.From);
        var canFinish = Reach(ends, id => incoming[id]);
        foreach (var step in definition.Steps.Where(s => !canFinish.Contains(s.Id) && byId.ContainsKey(s.Id)))
        {
            problems.Add(new(step.Path, ProblemCodes.MissingEnd, $"No 'end' step can be reached from step '{step.Id}': a case that gets there never finishes.", step.Id));
        }
    }

    private static void CheckJoins(WorkflowDefinition definition, StepRegistry registry, Dictionary<string, StepDefinition> byId, IReadOnlyDictionary<string, StepSettings> settings, List<ValidationProblem> problems)
    {
        foreach (var join in definition.Steps.Where(s => registry.Find(s.Type) is JoinStep))
        {
            if (!settings.TryGetValue(join.Id, out var s) || s is not JoinSettings joinSettings)
            {
                continue;
            }

            var incoming = definition.Steps.Sum(step => step.Outcomes.Count(o => o.To == join.Id));
            if (joinSettings.Mode == JoinMode.Count && joinSettings.Count > incoming)
            {
                problems.Add(new($"{join.Path}.settings.count", ProblemCodes.JoinNeverCompletes,
                    $"Join '{join.Id}' waits for {joinSettings.Count} branches but only {incoming} connection(s) lead to it, so it can never complete.", join.Id));
                continue;
            }

            // Which forks can reach this join, and with how many branches?
            var widest = 0;
            foreach (var fork in definition.Steps.Where(x => registry.Find(x.Type) is ForkStep))
            {
                var reach = Reach(fork.Outcomes.Select(o => o.To), id => id == join.Id ? [] : byId.TryGetValue(id, out var st) ? st.Outcomes.Select(o => o.To) : []);
                if (reach.Contains(join.Id))
                {
                    widest = Math.Max(widest, fork.Outcomes.Count(o => Reach([o.To], id => id == join.Id ? [] : byId.TryGetValue(id, out var st) ? st.Outcomes.Select(x => x.To) : []).Contains(join.Id)));
                }
            }

            var needed = joinSettings.Mode == JoinMode.Count ? joinSettings.Count : 1;
            if (widest == 0 && (joinSettings.Mode == JoinMode.Count && needed > 1))
            {
                problems.Add(new($"{join.Path}.settings", ProblemCodes.JoinNeverCompletes,
                    $"Join '{join.Id}' waits for {needed} branches, but no fork leads to it, so only one branch can ever arrive.", join.Id));
            }
            else if (widest > 0 && needed > widest)
            {
                problems.Add(new($"{join.Path}.settings.count", ProblemCodes.JoinNeverCompletes,
                    $"Join '{join.Id}' waits for {needed} branches, but the widest fork that leads to it starts only {widest}.", join.Id));
            }
        }
    }

    private static void CheckEventReferences(WorkflowDefinition definition, IReadOnlyDictionary<string, StepSettings> settings, List<ValidationProblem> problems)
    {
        foreach (var step in definition.Steps)
        {
            if (!settings.TryGetValue(step.Id, out var s))
            {
                continue;
            }

            foreach (var (property, name, when) in s.RaisedEvents.Where(r => definition.Events.All(e => e.Name != r.Event)))
            {
                problems.Add(new($"{step.Path}.settings.{property}", ProblemCodes.DanglingConnection,
                    $"Step '{step.Id}' ({step.Type}) raises '{name}' {when}, but the definition's 'events' do not handle it.", step.Id));
            }
        }
    }

    private static HashSet<string> Reach(IEnumerable<string> roots, Func<string, IEnumerable<string>> next)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(roots.Where(r => !string.IsNullOrEmpty(r)));
        while (stack.TryPop(out var id))
        {
            if (!seen.Add(id))
            {
                continue;
            }

            foreach (var n in next(id))
            {
                if (!string.IsNullOrEmpty(n) && !seen.Contains(n))
                {
                    stack.Push(n);
                }
            }
        }

        return seen;
    }
}
