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
}
