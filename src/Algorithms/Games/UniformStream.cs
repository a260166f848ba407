using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Games;

/// <summary>
/// A SplitMix64 stream of uniform floats in [0, 1), seeded by one draw from the caller's (Seeds.Derive-seeded)
/// generator, so a roll-out stays determined by that generator. Roll-outs draw two uniforms per game, roll-out and
/// time step; libtorch's rand plus the copy into managed memory cost about 10 ms of a 32 × 64 × 150 roll-out here,
/// this stream about 1 ms (issue 16).
/// </summary>
internal struct UniformStream
{
    private const float Unit = 1f / (1 << 24);
    private ulong _state;

    private UniformStream(ulong seed) => _state = seed;

    /// <summary>A stream seeded from <paramref name="generator"/> (libtorch's default generator when null).</summary>
    public static UniformStream From(Generator? generator)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var seed = randint(long.MaxValue, [1], dtype: ScalarType.Int64, generator: generator).item<long>();
        return new UniformStream((ulong)seed);
    }

    /// <summary>Two independent uniforms with 24 bits each, from one 64-bit output.</summary>
    public (float First, float Second) NextPair()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return ((z >> 40) * Unit, ((z >> 8) & 0xFFFFFF) * Unit);
    }
}
