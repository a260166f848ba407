using ShapingCluster.Algorithms.Games;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// An M-FOS meta-learner: its actor-critic and Adam state. It acts by sampling the next inner policy from its
/// Gaussian meta-policy given σ([own policy, opponent policy]), and learns from a meta-episode with PPO.
/// (The reference acts with a copy synced after every update; acting with the current network is the same.)
/// </summary>
public sealed class MfosAgent : IDisposable
{
    private readonly TorchSharp.Modules.Adam _optimizer;

    public MfosAgent(int policySize, PpoSettings settings, Generator initialisation)
    {
        Settings = settings.Validated();
        Network = new ActorCritic(policySize, settings.Hidden, initialisation);
        _optimizer = optim.Adam(Network.parameters(), settings.LearningRate);
    }

    public PpoSettings Settings { get; }
    public ActorCritic Network { get; }

    /// <summary>Meta-state σ([own, other]) [B, 2d] from both sides' inner-policy logits.</summary>
    public static Tensor Observe(Tensor own, Tensor other) => cat([own, other], 1).sigmoid();

    /// <summary>Samples the next inner policy [B, d] and its log-probability [B].</summary>
    public (Tensor Action, Tensor LogProb) Act(Tensor state, Generator generator)
    {
        using var _ = no_grad();
        return Network.FusedSample(state, generator);
    }

    public double Learn(MetaTrajectory trajectory) => PpoUpdate.Apply(Network, _optimizer, trajectory, Settings);

    public void Save(BinaryWriter writer)
    {
        Network.save(writer);
        _optimizer.save_state_dict(writer);
    }

    public void Load(BinaryReader reader)
    {
        Network.load(reader);
        _optimizer.load_state_dict(reader);
    }

    /// <summary>Whether every network parameter is a finite number.</summary>
    public bool ParametersFinite()
    {
        using var scope = NewDisposeScope();
        return Network.parameters().All(p => p.isfinite().all().item<bool>());
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        Network.Dispose();
    }
}
