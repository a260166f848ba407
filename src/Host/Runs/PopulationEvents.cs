using Akka.Actor;
using ShapingCluster.Actors.Arena;
using ShapingCluster.Actors.Telemetry;

namespace ShapingCluster.Host.Runs;

/// <summary>
/// A population run's TensorBoard scalars (DIR/tb/), written by the node that hosts the arena from what it polls
/// anyway: matches per second and matches done (step = matches done), λ in self-play (step = round), and after each
/// rated round the ratings of its <see cref="RatedPlayers"/> best players (<c>rating/PLAYER</c>, step = round), asked
/// of the arena with <see cref="ArenaActor.GetBoard"/> at most every <see cref="Every"/>: a bounded cost whatever the
/// league's size. A process writes the rounds the arena still holds when it starts (up to
/// <see cref="RatingHistory.Kept"/>) once, then each new one.
/// </summary>
public sealed class PopulationEvents(string runDirectory, Func<int, double> lambda)
{
    public const int RatedPlayers = 32;
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly TensorBoardEvents _events = new(runDirectory);
    private DateTime _last = DateTime.MinValue;
    private int _lastRound, _lastRatedRound;
    private long _lastDone = -1;
    private bool _finished;

    public void Observe(ArenaActor.Status status, IActorRef arena)
    {
        // A finished run is written once (a node kept up with --stay goes on polling).
        if (!status.Started || _finished) return;
        var now = DateTime.UtcNow;
        if (now - _last < Every && !status.Finished) return;
        _last = now;
        if (status.MatchesDone != _lastDone)
        {
            _lastDone = status.MatchesDone;
            _events.Scalar("population/matches_per_second", status.MatchesPerSecond, status.MatchesDone);
            _events.Scalar("population/matches_done", status.MatchesDone, status.MatchesDone);
        }
        int round = Math.Min(status.Round, status.Rounds);
        // λ is the schedule's: rounds that began and ended between two polls get theirs too.
        while (_lastRound < round)
        {
            double l = lambda(++_lastRound);
            if (double.IsFinite(l)) _events.Scalar("population/lambda", l, _lastRound);
        }
        if (round - 1 <= _lastRatedRound && !status.Finished) return; // no round completed since the last board
        ArenaActor.Board board;
        try { board = arena.Ask<ArenaActor.Board>(new ArenaActor.GetBoard(Players: 0, Lines: RatedPlayers, Rounds: RatingHistory.Kept, Failures: 0), TimeSpan.FromSeconds(5)).Result; }
        catch (AggregateException) { return; } // the arena is busy or moving: the next poll asks again
        for (int i = 0; i < board.Rounds.Count; i++)
        {
            if (board.Rounds[i] <= _lastRatedRound) continue;
            foreach (var line in board.Ratings.Where(l => float.IsFinite(l.Ratings[i])))
                _events.Scalar($"rating/{line.Player}", line.Ratings[i], board.Rounds[i]);
        }
        if (board.Rounds.Count > 0) _lastRatedRound = Math.Max(_lastRatedRound, board.Rounds[^1]);
        // Finished only once the board holds the last round's ratings (they may follow the status by a poll).
        _finished = status.Finished && (board.Rounds.Count == 0 || board.Rounds[^1] >= status.Rounds);
    }
}
