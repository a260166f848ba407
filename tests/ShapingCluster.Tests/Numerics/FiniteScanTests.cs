using ShapingCluster.Algorithms.Numerics;

namespace ShapingCluster.Tests.Numerics;

public class FiniteScanTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void The_first_non_finite_value_is_found_in_the_vectors_and_in_the_tail(float bad)
    {
        var values = Enumerable.Range(0, 45).Select(i => (float)Math.Sin(i)).ToArray(); // 45: vectors and a tail
        Assert.Equal(-1, FiniteScan.IndexOfNonFinite(values));
        foreach (int at in new[] { 0, 7, 8, 20, 44 })
        {
            var copy = values.ToArray();
            copy[at] = bad;
            copy[^1] = bad; // a later one does not hide the first
            Assert.Equal(at, FiniteScan.IndexOfNonFinite(copy));
        }
    }

    [Fact]
    public void Extreme_finite_values_are_finite()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, 0f, -0f, 1e-39f, 3e38f, 1, 2, 3];
        Assert.Equal(-1, FiniteScan.IndexOfNonFinite(values));
        Assert.Equal(-1, FiniteScan.IndexOfNonFinite([]));
    }
}
