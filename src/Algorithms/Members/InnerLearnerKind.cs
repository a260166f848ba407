using ShapingCluster.Algorithms.Learners;
using ShapingCluster.Algorithms.Matches;

namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// The trivial member kind: an inner learner (NL, LOLA, M-MAML, a fixed strategy...) that keeps nothing between
/// matches. Its learner is built once per configuration (M-MAML with a trained init trains it then, not per match);
/// every match starts from the learner's initial policy.
/// </summary>
public sealed class InnerLearnerKind(string name) : IMemberKind
{
    public string Name => name;

    public bool LearnsAcrossMatches => false;

    public IMemberFactory Configure(MemberSetup setup) => new Factory(name, setup.InnerLearners(name), setup.Game.PolicySize);

    private sealed class Factory(string kind, IInnerLearner learner, int policySize) : IMemberFactory
    {
        public string Kind => kind;
        public bool LearnsAcrossMatches => false;
        public IMemberState Create(ulong seed) => new State(learner, policySize);
    }

    private sealed class State(IInnerLearner learner, int policySize) : IMemberState
    {
        public IMatchPlayer NewPlayer(PlayerRequest request) =>
            new InnerLearnerPlayer(learner, request.Seat, request.Batch, policySize, request.Seed);

        public LearnReport Learn(IMatchPlayer finished) => LearnReport.None;

        public byte[] Save() => [];

        public void Load(byte[] state)
        {
            if (state.Length != 0) throw new InvalidDataException($"a '{learner.Name}' member keeps no state, got {state.Length} bytes");
        }

        public void Dispose() { }
    }
}
