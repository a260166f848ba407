using ShapingCluster.Algorithms.Members;

namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// Every knob of a MeVa member (`shaping.learners.meva`). None of these values is the paper's: its hyperparameters
/// were not found (meva.md §10); the defaults are our reconstruction's starting points, tuned on training seeds.
/// </summary>
public sealed record MevaSettings
{
    /// <summary>α: the step on the unscaled discounted return the exact kernel computes, the units of NL's
    /// learning rate (1 in the reference), so that Û ≡ 0 or γ = 0 is NL exactly.</summary>
    public double LearningRate { get; init; } = 1.0;

    /// <summary>γ: the meta-discount over optimisation steps the member plays with (not the game's discount).</summary>
    public double Discount { get; init; } = 0.7;

    /// <summary>Variable discounting: Û takes γ as an input and every TD sample draws its own γ from
    /// [<see cref="DiscountMin"/>, <see cref="DiscountMax"/>]; off: Û is learned for <see cref="Discount"/> alone.</summary>
    public bool VariableDiscount { get; init; } = true;
    public double DiscountMin { get; init; }
    public double DiscountMax { get; init; } = 0.9;

    /// <summary>Width and number of tanh hidden layers of Û's network.</summary>
    public int Hidden { get; init; } = 64;
    public int Layers { get; init; } = 2;

    /// <summary>Adam rate of the TD regression.</summary>
    public double TdLearningRate { get; init; } = 1e-3;
    /// <summary>TD minibatch steps per learned match.</summary>
    public int TdUpdates { get; init; } = 50;
    /// <summary>Joint states per TD minibatch.</summary>
    public int Minibatch { get; init; } = 1024;
    /// <summary>Polyak rate τ of the target network after every TD step (θ⁻ ← (1 − τ)θ⁻ + τθ).</summary>
    public double TargetSmoothing { get; init; } = 0.01;

    /// <summary>Joint states the replay memory holds (first in, first out), and how many of a match's are kept.</summary>
    public int ReplayCapacity { get; init; } = 65536;
    public int ReplayPerMatch { get; init; } = 8192;

    /// <summary>Exploration in matches played to learn: each game's own correction is sign-flipped (the last layer of
    /// Û negated) with this probability, drawn afresh every <see cref="ExplorationSegment"/> meta-steps, so flipped
    /// and clean stretches interleave; and Gaussian noise of this standard deviation is added to every step.</summary>
    public double FlipProbability { get; init; } = 0.25;
    public int ExplorationSegment { get; init; } = 10;
    public double Noise { get; init; } = 0.1;

    public static MevaSettings Read(ISettingsSection s)
    {
        var discount = s.Section("variable-discount");
        var network = s.Section("network");
        var td = s.Section("td");
        var replay = s.Section("replay");
        var exploration = s.Section("exploration");
        var settings = new MevaSettings
        {
            LearningRate = s.Number("learning-rate"),
            Discount = s.Number("discount"),
            VariableDiscount = discount.Flag("enabled"),
            DiscountMin = discount.Number("min"),
            DiscountMax = discount.Number("max"),
            Hidden = network.Integer("hidden"),
            Layers = network.Integer("layers"),
            TdLearningRate = td.Number("learning-rate"),
            TdUpdates = td.Integer("updates"),
            Minibatch = td.Integer("minibatch"),
            TargetSmoothing = td.Number("target-smoothing"),
            ReplayCapacity = replay.Integer("capacity"),
            ReplayPerMatch = replay.Integer("per-match"),
            FlipProbability = exploration.Number("flip-probability"),
            ExplorationSegment = exploration.Integer("segment"),
            Noise = exploration.Number("noise"),
        };
        try { return settings.Validated(); }
        catch (ArgumentException e) { throw new ArgumentException($"{s.Path}: {e.Message}"); }
    }

    public MevaSettings Validated()
    {
        static bool Unit(double x) => x >= 0 && x < 1;
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException("learning-rate must be a positive number");
        // γ = 1 would make the normalised correction's scale 1/(1 − γ) infinite.
        if (!Unit(Discount)) throw new ArgumentException($"discount must lie in [0, 1), got {Discount}");
        if (VariableDiscount && !(Unit(DiscountMin) && Unit(DiscountMax) && DiscountMin <= DiscountMax))
            throw new ArgumentException("variable-discount needs 0 ≤ min ≤ max < 1");
        if (Hidden < 1 || Layers < 1) throw new ArgumentException("network.hidden and network.layers must be ≥ 1");
        if (!(TdLearningRate > 0) || TdUpdates < 0 || Minibatch < 1 || !(TargetSmoothing > 0 && TargetSmoothing <= 1))
            throw new ArgumentException("td: learning-rate > 0, updates ≥ 0, minibatch ≥ 1 and target-smoothing in (0, 1]");
        if (ReplayCapacity < 1 || ReplayPerMatch < 1) throw new ArgumentException("replay.capacity and replay.per-match must be ≥ 1");
        if (!(FlipProbability >= 0 && FlipProbability <= 1) || ExplorationSegment < 1 || !(Noise >= 0))
            throw new ArgumentException("exploration: flip-probability in [0, 1], segment ≥ 1, noise ≥ 0");
        return this;
    }
}
