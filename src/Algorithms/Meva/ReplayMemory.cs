namespace ShapingCluster.Algorithms.Meva;

/// <summary>
/// The joint states (row logits, column logits) Û is regressed on, first in first out. A TD target needs only the
/// state (its successor is recomputed greedily with the target network), so states from any match, exploratory or
/// not, against any opponent, are valid training data. Part of the member's saved state, so a resumed run draws the
/// same minibatches.
/// </summary>
public sealed class ReplayMemory
{
    private readonly float[] _rows, _cols;
    private int _next;

    public ReplayMemory(int capacity, int policySize)
    {
        Capacity = capacity;
        PolicySize = policySize;
        _rows = new float[capacity * policySize];
        _cols = new float[capacity * policySize];
    }

    public int Capacity { get; }
    public int PolicySize { get; }
    public int Count { get; private set; }

    public void Add(ReadOnlySpan<float> row, ReadOnlySpan<float> col)
    {
        row.CopyTo(_rows.AsSpan(_next * PolicySize, PolicySize));
        col.CopyTo(_cols.AsSpan(_next * PolicySize, PolicySize));
        _next = (_next + 1) % Capacity;
        Count = Math.Min(Count + 1, Capacity);
    }

    /// <summary>The states at <paramref name="indices"/> (each below <see cref="Count"/>), as [n, d] row and column logits.</summary>
    public (float[] Rows, float[] Cols) Gather(IReadOnlyList<long> indices)
    {
        int d = PolicySize;
        var rows = new float[indices.Count * d];
        var cols = new float[indices.Count * d];
        for (int k = 0; k < indices.Count; k++)
        {
            int i = checked((int)indices[k]);
            if (i < 0 || i >= Count) throw new ArgumentOutOfRangeException(nameof(indices), $"state {i} of {Count}");
            Array.Copy(_rows, i * d, rows, k * d, d);
            Array.Copy(_cols, i * d, cols, k * d, d);
        }
        return (rows, cols);
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Capacity);
        writer.Write(PolicySize);
        writer.Write(Count);
        writer.Write(_next);
        for (int i = 0; i < Count * PolicySize; i++) writer.Write(_rows[i]);
        for (int i = 0; i < Count * PolicySize; i++) writer.Write(_cols[i]);
    }

    /// <exception cref="InvalidDataException">the bytes hold a memory of another size or are inconsistent.</exception>
    public void Load(BinaryReader reader)
    {
        int capacity = reader.ReadInt32(), policySize = reader.ReadInt32(), count = reader.ReadInt32(), next = reader.ReadInt32();
        if (capacity != Capacity || policySize != PolicySize)
            throw new InvalidDataException($"a replay memory of {capacity} × {policySize}, this member's holds {Capacity} × {PolicySize}");
        if (count < 0 || count > capacity || next < 0 || next >= capacity || (count < capacity && next != count))
            throw new InvalidDataException($"an inconsistent replay memory ({count} states, next {next})");
        for (int i = 0; i < count * policySize; i++) _rows[i] = reader.ReadSingle();
        for (int i = 0; i < count * policySize; i++) _cols[i] = reader.ReadSingle();
        Count = count;
        _next = next;
    }
}
