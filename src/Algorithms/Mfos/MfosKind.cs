using ShapingCluster.Algorithms.Members;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>M-FOS as a member kind: settings in `shaping.learners.mfos` (its PPO and network width); a member is an
/// <see cref="MfosAgent"/> initialised from the member's seed.</summary>
public sealed class MfosKind : IMemberKind
{
    public const string KindName = "mfos";

    public string Name => KindName;

    public bool LearnsAcrossMatches => true;

    public IMemberFactory Configure(MemberSetup setup) =>
        new Factory(setup.Game.PolicySize, PpoSettings.Read(setup.Settings.Section("ppo")));

    private sealed class Factory(int policySize, PpoSettings ppo) : IMemberFactory
    {
        public string Kind => KindName;
        public bool LearnsAcrossMatches => true;

        public IMemberState Create(ulong seed)
        {
            using var initialisation = new Generator(seed);
            return new MfosAgent(policySize, ppo, initialisation);
        }
    }
}
