using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ShapingCluster.Algorithms.Matches;
using ShapingCluster.Algorithms.Members;
using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// An M-FOS member's state: its actor-critic and Adam state. It acts by sampling the next inner policy from its
/// Gaussian meta-policy given σ([own policy, opponent policy]), and learns from a meta-episode with PPO.
/// (The reference acts with a copy synced after every update; acting with the current network is the same.)
/// </summary>
public sealed class MfosAgent : IMemberState
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

    /// <summary>Meta-state σ([own, other]) [B, 2d] from both sides' inner-policy logits: the definition, which the tests
    /// hold the array form that players use to.</summary>
    public static Tensor Observe(Tensor own, Tensor other) => cat([own, other], 1).sigmoid();

    /// <summary>The same meta-state on [B, d] row-major arrays (the same function to the bit).</summary>
    public static float[] Observe(float[] own, float[] other, int batch)
    {
        if (own.Length != other.Length || own.Length % batch != 0) throw new ArgumentException($"policies must both be [{batch}, d] logits");
        int d = own.Length / batch;
        var joined = new float[2 * own.Length];
        // Row by row [own | other]; by reference, since bounds checks on 5-float rows cost more than the copy.
        ref float ownAt = ref MemoryMarshal.GetArrayDataReference(own), otherAt = ref MemoryMarshal.GetArrayDataReference(other);
        ref float target = ref MemoryMarshal.GetArrayDataReference(joined);
        for (int k = 0; k < own.Length; k += d)
            for (int j = 0; j < d; j++)
            {
                Unsafe.Add(ref target, 2 * k + j) = Unsafe.Add(ref ownAt, k + j);
                Unsafe.Add(ref target, 2 * k + d + j) = Unsafe.Add(ref otherAt, k + j);
            }
        // libtorch's sigmoid, not VectorMath's: both are float-accurate, but a seeded episode's rewards follow the
        // last bit of every meta-state (IMP against LOLA moved by 4e-5 between two accurate sigmoids), and these
        // bits are the ones the pinned episodes were recorded with. One in-place op costs ~0.1 ms of a 3 ms step.
        using var scope = NewDisposeScope();
        var states = NativeTensors.Of(joined, batch, 2 * d).sigmoid_();
        MemoryMarshal.Cast<byte, float>(states.bytes).CopyTo(joined);
        return joined;
    }

    /// <summary>Samples the next inner policy [B, d] and its log-probability [B] for meta-states [B, 2d].</summary>
    public (float[] Action, float[] LogProb) Act(float[] state, int batch, Generator generator) =>
        Network.FusedSample(state, batch, generator);

    public IMatchPlayer NewPlayer(PlayerRequest request) =>
        new MfosPlayer(request.Name, this, request.Batch, Network.PolicySize, request.Seed);

    public LearnReport Learn(IMatchPlayer finished)
    {
        if (finished is not MfosPlayer player || player.Agent != this)
            throw new ArgumentException($"an M-FOS member learns only from its own players, got {finished.GetType().Name}");
        double loss = Learn(player.Trajectory);
        if (!ParametersFinite()) throw new ArithmeticException("parameters became NaN or infinite");
        return new LearnReport(new Dictionary<string, double> { ["loss"] = loss });
    }

    /// <summary>One PPO update on a meta-episode; returns the mean loss of the last epoch.</summary>
    public double Learn(MetaTrajectory trajectory) => PpoUpdate.Apply(Network, _optimizer, trajectory, Settings);

    public byte[] Save()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Network.save(writer);
            _optimizer.save_state_dict(writer);
        }
        return stream.ToArray();
    }

    public void Load(byte[] state)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            Network.load(reader);
            _optimizer.load_state_dict(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or IOException or InvalidOperationException)
        {
            throw new InvalidDataException($"not an M-FOS state of this shape ({e.Message})");
        }
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
