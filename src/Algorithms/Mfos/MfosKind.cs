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

        /// <summary>The trajectory (state 2d, action d, log-probability and reward per game and step) kept until
        /// the update, twice over while the update stacks it into tensors, plus one chunk's activations.</summary>
        public long EstimateBytes(int batch, int steps, int policySize) =>
            2L * batch * steps * (3L * policySize + 2) * sizeof(float) + 16L * ppo.ChunkSize * ppo.Hidden * sizeof(float);

        public IMemberState Create(ulong seed)
        {
            using var initialisation = new Generator(seed);
            return new MfosAgent(policySize, ppo, initialisation);
        }
    }
}
