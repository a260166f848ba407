using ShapingCluster.Algorithms.Numerics;
using static TorchSharp.torch;

namespace ShapingCluster.Tests;

/// <summary>Inputs that would abort libtorch inside autograd.grad are rejected as managed exceptions.</summary>
public class AutodiffTests
{
    [Fact]
    public void Output_without_graph_is_rejected_before_native_code()
    {
        var x = ones(3).requires_grad_(true);
        Assert.Throws<ArgumentException>(() => Autodiff.Grad(ones(1).sum(), [x]));
    }

    [Fact]
    public void Input_not_requiring_gradient_is_rejected()
    {
        var x = ones(3).requires_grad_(true);
        Assert.Throws<ArgumentException>(() => Autodiff.Grad((x * 2).sum(), [ones(3)]));
    }

    [Fact]
    public void Input_not_in_the_graph_gets_a_zero_gradient()
    {
        var x = ones(3).requires_grad_(true);
        var unused = ones(2).requires_grad_(true);
        var grads = Autodiff.Grad((x * 2).sum(), [x, unused]);
        Assert.Equal(2f, grads[0][0].item<float>());
        Assert.Equal(0f, grads[1].sum().item<float>());
    }

    [Fact]
    public void Non_scalar_output_is_rejected()
    {
        var x = ones(3).requires_grad_(true);
        Assert.Throws<ArgumentException>(() => Autodiff.Grad(x * 2, [x]));
    }
}
