using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Members;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>MeVa (Meta-Value Learning, Cooijmans, Aghajohari and Courville, arXiv 2307.08863) as a member kind:
/// settings in `shaping.learners.meva`; a member is a <see cref="MevaAgent"/> whose networks are initialised from
/// the member's seed. It learns across matches: Û and its replay memory are carried from one match to the next.</summary>
public sealed class MevaKind : IMemberKind
{
    public const string KindName = "meva";

    public string Name => KindName;

    public bool LearnsAcrossMatches => true;

    public IMemberFactory Configure(MemberSetup setup) => new Factory(setup.Game, MevaSettings.Read(setup.Settings));

    private sealed class Factory(MatrixGame game, MevaSettings settings) : IMemberFactory
    {
        public string Kind => KindName;
        public bool LearnsAcrossMatches => true;

        public IMemberState Create(ulong seed)
        {
            using var initialisation = new Generator(seed);
            return new MevaAgent(game, settings, initialisation);
        }
    }
}
