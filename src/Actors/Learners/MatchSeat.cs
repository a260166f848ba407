using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Actors.Learners;

/// <summary>
/// The match attempt a member is in, and the checks every request of the match protocol needs: a member answers only
/// the attempt it is in, so two attempts of one match can never mix their steps, and a new Begin replaces whatever
/// match the member was still in (that match was abandoned and will be re-run).
/// </summary>
internal sealed class MatchSeat(string member) : IDisposable
{
    private (string Match, string Attempt, IMatchPlayer Player)? _current;

    public LearnerActor.Chosen Begin(LearnerActor.Begin begin, IMatchPlayer player)
    {
        Dispose();
        _current = (begin.Match, begin.Attempt, player);
        return new LearnerActor.Chosen(member, begin.Attempt, 0, player.Begin());
    }

    public LearnerActor.Chosen Choose(LearnerActor.Choose choose) =>
        new(member, choose.Attempt, choose.Step, Player(choose.Attempt).Choose(choose.OpponentPrevious, choose.Reward));

    /// <summary>Ends the match with its last reward; the caller owns (and disposes) the returned player.</summary>
    public (string Match, IMatchPlayer Player) Finish(LearnerActor.Finish finish)
    {
        var player = Player(finish.Attempt);
        string match = _current!.Value.Match;
        player.Finish(finish.Reward);
        _current = null;
        return (match, player);
    }

    /// <summary>Abandons the attempt if it is the one the member is in; a stale request changes nothing.</summary>
    public void Abandon(string attempt)
    {
        if (_current is { } c && c.Attempt == attempt) Dispose();
    }

    private IMatchPlayer Player(string attempt) =>
        _current is { } c && c.Attempt == attempt ? c.Player : throw new InvalidOperationException($"member {member} is not in match attempt {attempt}");

    public void Dispose()
    {
        _current?.Player.Dispose();
        _current = null;
    }
}
