using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Games;

/// <summary>
/// The exact kernel answers a repeated plain evaluation from its per-thread memo: with the very numbers a fresh
/// evaluation gives, only for bit-identical policies of the same game, and the referee's values are the same bits
/// whether it took the values-only path or the full evaluation it shares with the learners.
/// </summary>
public class EvaluationMemoTests
{
    private const int Batch = 37; // not a whole number of SIMD vectors

    private static (float[] Row, float[] Col) Pair(MatrixGame game, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        return (PolicyTensors.ToArray(randn(Batch, game.PolicySize, generator: generator)),
            PolicyTensors.ToArray(randn(Batch, game.PolicySize, generator: generator)));
    }

    /// <summary>Runs <paramref name="work"/> on a thread of its own, whose memo is empty.</summary>
    private static T OnFreshThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }

    private static void AssertSameEvaluation(ExactEvaluation expected, ExactEvaluation actual)
    {
        foreach (var player in new[] { Seat.Row, Seat.Col })
        {
            Assert.Equal(expected.Value(player), actual.Value(player));
            foreach (var wrt in new[] { Seat.Row, Seat.Col })
                Assert.Equal(expected.Gradient(player, wrt), actual.Gradient(player, wrt));
        }
    }

    [Fact]
    public void A_repeated_pair_gets_the_fresh_answer_and_a_pair_one_bit_away_is_evaluated_anew()
    {
        var game = TestGames.Get("ipd");
        var (row, col) = Pair(game, 31);
        var fresh = OnFreshThread(() => new ExactValueKernel(game).Evaluate(row, col, Batch));
        var first = new ExactValueKernel(game).Evaluate(row, col, Batch);
        // Another kernel, copies of the arrays: the memo answers with the evaluation it holds.
        var again = new ExactValueKernel(game).Evaluate(row.ToArray(), col.ToArray(), Batch);
        Assert.Same(first, again);
        AssertSameEvaluation(fresh, again);

        var nudged = row.ToArray();
        nudged[Batch * game.PolicySize - 1] = MathF.BitIncrement(nudged[^1]); // the last logit, in the padded tail's vector
        var afterNudge = new ExactValueKernel(game).Evaluate(nudged, col, Batch);
        Assert.NotSame(first, afterNudge);
        AssertSameEvaluation(OnFreshThread(() => new ExactValueKernel(game).Evaluate(nudged, col, Batch)), afterNudge);

        // The same logits for another game (a different matrix) are not the same question.
        var chicken = TestGames.Get("chicken-iterated");
        var other = new ExactValueKernel(chicken).Evaluate(nudged, col, Batch);
        Assert.NotSame(afterNudge, other);
        AssertSameEvaluation(OnFreshThread(() => new ExactValueKernel(chicken).Evaluate(nudged, col, Batch)), other);
    }

    [Fact]
    public void Evaluations_with_tangents_are_never_taken_from_the_memo()
    {
        var game = TestGames.Get("ipd");
        var (row, col) = Pair(game, 32);
        var plain = new ExactValueKernel(game).Evaluate(row, col, Batch);
        var dual = new ExactValueKernel(game).Evaluate(row, col, Batch, colTangent: col);
        Assert.NotSame(plain, dual);
        Assert.True(dual.IsDual);
    }

    [Theory]
    [MemberData(nameof(TestGames.All), MemberType = typeof(TestGames))]
    public void The_referee_values_are_the_same_bits_on_the_values_only_path_and_on_the_shared_full_evaluation(string gameName)
    {
        var game = TestGames.Get(gameName);
        var (row, col) = Pair(game, 33);
        // A fresh thread with one kernel: nobody asked for gradients, so Values takes its values-only path.
        var valuesOnly = OnFreshThread(() => new ExactValueKernel(game).Values(row, col, Batch));
        // Here a learner asked for an evaluation first, so Values runs (and shares) the full evaluation.
        var shared = OnFreshThread(() =>
        {
            var referee = new ExactValueKernel(game);
            var (otherRow, otherCol) = Pair(game, 34);
            new ExactValueKernel(game).Evaluate(otherRow, otherCol, Batch);
            var values = referee.Values(row, col, Batch);
            var learnerFinds = new ExactValueKernel(game).Evaluate(row, col, Batch);
            return (values, learnerFinds);
        });
        Assert.Equal(valuesOnly.Row, shared.values.Row);
        Assert.Equal(valuesOnly.Col, shared.values.Col);
        Assert.Equal(valuesOnly.Row, shared.learnerFinds.Value(Seat.Row));
    }
}
