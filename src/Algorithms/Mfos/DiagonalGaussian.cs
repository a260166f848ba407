using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Mfos;

/// <summary>
/// The meta-policy's distribution in closed form: independent normals with the given mean and variance per
/// dimension. Same log-probability and entropy as the reference's MultivariateNormal with a diagonal covariance,
/// without building and factorising d×d matrices.
/// </summary>
public static class DiagonalGaussian
{
    private static readonly double LogTwoPi = Math.Log(2 * Math.PI);

    /// <summary>Σ_k log N(x_k; μ_k, σ²_k), summed over the last dimension.</summary>
    public static Tensor LogProb(Tensor x, Tensor mean, Tensor variance) =>
        -0.5 * ((x - mean).square() / variance + variance.log() + LogTwoPi).sum(-1);

    /// <summary>Σ_k ½ log(2πe σ²_k).</summary>
    public static Tensor Entropy(Tensor variance) => 0.5 * (variance.log() + LogTwoPi + 1).sum(-1);

    /// <summary>μ + √σ² · ε with ε ~ N(0, 1) from the generator (acting uses ActorCritic.FusedSample, which draws and
    /// computes the same; the tests compare the two).</summary>
    public static Tensor Sample(Tensor mean, Tensor variance, Generator generator)
    {
        using var noise = randn(mean.shape, generator: generator);
        return mean + variance.sqrt() * noise;
    }
}
