using ShapingCluster.Algorithms.Games;
using ShapingCluster.Algorithms.Learners;

namespace ShapingCluster.Algorithms.Members;

/// <summary>
/// A kind of population member, as a plug-in: it reads its own settings section and then creates members. Kinds
/// that learn across matches (M-FOS, MeVa) hold parameters that a match changes; the inner learners (NL, LOLA,
/// ...) are the trivial kind, whose members start every match fresh. Adding a kind is one folder, one line in
/// <see cref="MemberKinds"/> and one block in reference.conf.
/// </summary>
public interface IMemberKind
{
    string Name { get; }

    bool LearnsAcrossMatches { get; }

    /// <summary>Reads and checks the kind's settings for <paramref name="game"/>; throws naming the key.</summary>
    IMemberFactory Configure(MemberSetup setup);
}

/// <summary>What configuring a kind needs: the game, the kind's settings section, and the inner learners by name
/// (their settings are the configuration's; a kind may use them as opponents or parts).</summary>
public sealed record MemberSetup(MatrixGame Game, ISettingsSection Settings, Func<string, IInnerLearner> InnerLearners);
