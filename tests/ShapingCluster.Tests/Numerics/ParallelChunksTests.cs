using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Tests.Numerics;

public class ParallelChunksTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 4)]
    [InlineData(37, 3)]
    public void Every_chunk_runs_exactly_once(int chunks, int threads)
    {
        var runs = new int[chunks];
        ParallelChunks.Run(chunks, threads, () => new object(), (chunk, _) => Interlocked.Increment(ref runs[chunk]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void A_failing_chunk_fails_the_call_with_its_exception()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            ParallelChunks.Run(20, 2, () => 0, (chunk, _) => { if (chunk == 7) throw new InvalidOperationException("chunk 7"); }));
        Assert.Equal("chunk 7", error.Message);
    }

    [Fact]
    public void Calls_side_by_side_share_the_helpers_and_each_runs_every_chunk_once()
    {
        ParallelChunks.Run(4, 3, () => 0, (_, _) => { });
        int helpers = ParallelChunks.Helpers;
        Assert.True(helpers >= 2, $"a call on 3 threads leaves at least 2 helpers, found {helpers}");
        var runs = new int[4, 200];
        Parallel.For(0, 4, caller =>
        {
            for (int call = 0; call < 50; call++)
            {
                var chunkRuns = new int[50];
                ParallelChunks.Run(50, 3, () => 0, (chunk, _) => Interlocked.Increment(ref chunkRuns[chunk]));
                Assert.All(chunkRuns, r => Assert.Equal(1, r));
                Interlocked.Increment(ref runs[caller, call]);
            }
        });
        Assert.Equal(200, runs.Cast<int>().Sum());
        // Helpers are kept, not started per call: 200 calls on 3 threads would have started 400 threads; the helpers
        // are as many as the most threads any call asked for, less one (other tests' calls included).
        Assert.InRange(ParallelChunks.Helpers, helpers, 8);
    }

    [Fact]
    public void Workspaces_are_made_only_by_threads_that_take_a_chunk()
    {
        int made = 0;
        ParallelChunks.Run(1, 4, () => Interlocked.Increment(ref made), (_, _) => { });
        Assert.Equal(1, made);
    }
}
