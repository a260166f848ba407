using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// The one door to torch.autograd.grad. In TorchSharp 0.107 an error inside autograd.grad aborts the process, so
/// every precondition libtorch would check is checked here first and reported as a managed exception.
/// </summary>
public static class Autodiff
{
    /// <summary>d(scalar)/d(inputs). With <paramref name="createGraph"/> the result is itself differentiable.
    /// The graph is always retained: differentiating a freed graph a second time would abort the process, and the
    /// graph goes with its tensors anyway when the caller's dispose scope ends.</summary>
    public static Tensor[] Grad(Tensor scalar, IReadOnlyList<Tensor> inputs, bool createGraph = false)
    {
        if (scalar.numel() != 1)
            throw new ArgumentException($"autodiff: the output must be a scalar, got shape [{string.Join(", ", scalar.shape)}]");
        if (!scalar.requires_grad)
            throw new ArgumentException("autodiff: the output does not depend on any input that requires a gradient");
        for (int i = 0; i < inputs.Count; i++)
            if (!inputs[i].requires_grad)
                throw new ArgumentException($"autodiff: input {i} does not require a gradient");
        // Inputs that do not reach the output would abort libtorch; allow_unused returns empty handles instead,
        // which we replace by zeros.
        var grads = autograd.grad([scalar], inputs.ToArray(), retain_graph: true, create_graph: createGraph,
            allow_unused: true);
        var result = new Tensor[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            bool missing;
            try { missing = grads[i] is null || grads[i].IsInvalid; } catch { missing = true; }
            result[i] = missing ? zeros_like(inputs[i]) : grads[i];
        }
        return result;
    }
}
