namespace ShapingCluster.Algorithms.Numerics;

/// <summary>Independent, repeatable seeds for (run seed, index, stream) via SplitMix64.</summary>
public static class Seeds
{
    public static ulong Derive(long seed, long index, long stream)
    {
        ulong x = (ulong)seed;
        x = Mix(x ^ Mix((ulong)index + 0x9E3779B97F4A7C15UL));
        return Mix(x ^ Mix((ulong)stream + 0xD1B54A32D192ED03UL));
    }

    /// <summary>The seed of member <paramref name="member"/>'s initial parameters in a run (index −1: no match or
    /// episode number is negative, so this stream never meets a match's).</summary>
    public static ulong Initialisation(long runSeed, int member) => Derive(runSeed, -1, member);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
