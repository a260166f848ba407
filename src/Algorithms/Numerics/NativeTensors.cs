using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace ShapingCluster.Algorithms.Numerics;

/// <summary>
/// Tensors copied from managed arrays into libtorch-owned storage (torch.tensor(array) pins the managed array as
/// storage instead). Together with dispose scopes around all tensor work this is the project's memory rule:
/// a TorchSharp temporary that is left to the finalizer can be freed on the finalizer thread while libtorch still
/// uses it (seen here as intermittent "Expected false to be true" from Scalar.toFloat, "Unknown scalar type" and
/// segfaults in LOLA matches, before every step ran inside a scope).
/// </summary>
public static class NativeTensors
{
    public static Tensor Of(ReadOnlySpan<float> values, params long[] shape) => Copy(values, ScalarType.Float32, shape);

    public static Tensor Of(ReadOnlySpan<long> values, params long[] shape) => Copy(values, ScalarType.Int64, shape);

    /// <summary>Equal-length arrays stacked along a new first dimension: shape [count, ...itemShape].</summary>
    public static Tensor Stack(IEnumerable<float[]> items, int count, params long[] itemShape)
    {
        long itemLength = itemShape.Aggregate(1L, (a, b) => a * b);
        var result = empty([count, .. itemShape], dtype: ScalarType.Float32);
        var bytes = result.bytes;
        int index = 0;
        foreach (var item in items)
        {
            if (item.Length != itemLength) throw new ArgumentException($"item {index} has {item.Length} values, expected {itemLength}");
            MemoryMarshal.AsBytes(item.AsSpan()).CopyTo(bytes[(int)(index * itemLength * sizeof(float))..]);
            index++;
        }
        if (index != count) throw new ArgumentException($"{index} items, expected {count}");
        return result;
    }

    private static Tensor Copy<T>(ReadOnlySpan<T> values, ScalarType dtype, long[] shape) where T : unmanaged
    {
        if (shape.Length == 0) shape = [values.Length];
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"{values.Length} values do not fill a tensor of shape [{string.Join(", ", shape)}]");
        var result = empty(shape, dtype: dtype);
        MemoryMarshal.AsBytes(values).CopyTo(result.bytes);
        return result;
    }
}
