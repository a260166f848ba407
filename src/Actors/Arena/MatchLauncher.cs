using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Actors.Arena;

/// <summary>
/// The arena's bookkeeping of matches to play and matches in flight (no actor, no I/O): a queue of the round's
/// unsettled matches, at most a given number running at once and never two at once for one player, every launch an
/// attempt with its own id and two deadlines (start and finish), and how often each match failed.
/// </summary>
public sealed class MatchLauncher
{
    public sealed record Running(MatchPlan Plan, string Attempt, DateTime StartBy, DateTime FinishBy, string? Node, bool Started);

    private readonly LinkedList<MatchPlan> _pending = new();
    private readonly Dictionary<string, LinkedListNode<MatchPlan>> _queued = [];
    private readonly Dictionary<string, Running> _running = [];
    private readonly HashSet<string> _busy = [];
    private readonly Dictionary<string, int> _failures = [];

    public IReadOnlyDictionary<string, Running> InFlight => _running;
    public int Queued => _pending.Count;

    public void Enqueue(IEnumerable<MatchPlan> plans)
    {
        foreach (var plan in plans)
            if (!_queued.ContainsKey(plan.Id) && !_running.ContainsKey(plan.Id)) _queued[plan.Id] = _pending.AddLast(plan);
    }

    /// <summary>Puts a match that has to be played again at the front of the queue.</summary>
    public void Requeue(MatchPlan plan)
    {
        if (!_queued.ContainsKey(plan.Id) && !_running.ContainsKey(plan.Id)) _queued[plan.Id] = _pending.AddFirst(plan);
    }

    /// <summary>The matches to launch now, in queue order, marked as running under new attempt ids.</summary>
    public List<Running> Launch(int maxParallel, TimeSpan startDeadline, TimeSpan matchTimeout, Func<string, string?> nodeOf, DateTime now,
        Func<MatchPlan, bool>? allowed = null)
    {
        var launched = new List<Running>();
        for (var node = _pending.First; node is not null && _running.Count < maxParallel;)
        {
            var next = node.Next;
            var plan = node.Value;
            if (!plan.MemberIds().Any(_busy.Contains) && (allowed is null || allowed(plan)))
            {
                _pending.Remove(node);
                _queued.Remove(plan.Id);
                _busy.UnionWith(plan.MemberIds());
                var run = new Running(plan, $"{plan.Id}-{Guid.NewGuid():N}", now + startDeadline, now + matchTimeout, nodeOf(plan.MemberIds().First()), false);
                _running[plan.Id] = run;
                launched.Add(run);
            }
            node = next;
        }
        return launched;
    }

    public bool IsRunning(string match, string attempt) => _running.TryGetValue(match, out var r) && r.Attempt == attempt;

    public void MarkStarted(string match, string attempt, string node)
    {
        if (IsRunning(match, attempt)) _running[match] = _running[match] with { Node = node, Started = true };
    }

    /// <summary>A match left flight (completed, failed or void); returns the run it was.</summary>
    public Running? Land(string match)
    {
        if (!_running.Remove(match, out var run)) return null;
        _busy.ExceptWith(run.Plan.MemberIds());
        return run;
    }

    /// <summary>Forgets a match entirely (void): not queued, not running.</summary>
    public void Drop(string match)
    {
        Land(match);
        if (_queued.Remove(match, out var node)) _pending.Remove(node);
    }

    /// <summary>Counts a failure of a match; returns how many it has had.</summary>
    public int Failed(string match) => _failures[match] = _failures.GetValueOrDefault(match) + 1;

    /// <summary>Failure counts matter within a round only.</summary>
    public void ForgetFailures() => _failures.Clear();

    public IEnumerable<Running> Overdue(DateTime now) => _running.Values.Where(r => r.FinishBy < now || (!r.Started && r.StartBy < now)).ToList();
}
