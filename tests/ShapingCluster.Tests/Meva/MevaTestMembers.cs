using ShapingCluster.Algorithms.Meva;
using static TorchSharp.torch;

namespace ShapingCluster.Tests.Meva;

/// <summary>MeVa members for tests, built through the configuration as `shaping train` builds them.</summary>
internal static class MevaTestMembers
{
    /// <summary>A member for <paramref name="game"/> with <paramref name="settings"/> (HOCON inside shaping.learners.meva).</summary>
    public static MevaAgent Create(string game, string settings = "", ulong seed = 3)
    {
        var config = TestGames.With($"shaping.learners.meva {{ {settings} }}");
        return (MevaAgent)config.MemberFactory("meva", config.Game(game)).Create(seed);
    }

    /// <summary>Sets Û's output layer to zero, so Û ≡ 0 everywhere.</summary>
    public static void ZeroOutput(MetaValueNetwork network)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        network.Output.weight!.zero_();
        network.Output.bias!.zero_();
    }
}
