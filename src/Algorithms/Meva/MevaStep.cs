namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// The MeVa player's update x_i ← x_i + α ∂(f_i + γU_i)/∂x_i = x_i + α(∇_i f_i + γ∇_i U_i), per game, on flat
/// row-major [B, d] arrays. The correction term is written as factor[b] · ∂n/∂x_i with factor = sign · γm/((1 − γ)s)
/// (<see cref="MetaValue.CorrectionFactor"/>; sign −1 is exploration's flipped last layer). The sum is formed as
/// naive + factor·correction first and then scaled by α, so with factor 0 (Û ≡ 0 or γ = 0) every float is exactly NL's
/// x + lr·∇f.
/// </summary>
public static class MevaStep
{
    public static float[] Apply(float[] own, float[] naive, float[] correction, float[] factor, int policySize, float alpha)
    {
        var next = new float[own.Length];
        for (int i = 0; i < own.Length; i++) next[i] = own[i] + alpha * (naive[i] + factor[i / policySize] * correction[i]);
        return next;
    }
}
