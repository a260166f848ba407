namespace ShapingCluster.Algorithms.Games;

/// <summary>Which side of the payoff table a player sits on. Row is the reference code's th0, Col its th1.</summary>
public enum Seat { Row = 0, Col = 1 }

public static class SeatExtensions
{
    public static Seat Other(this Seat seat) => seat == Seat.Row ? Seat.Col : Seat.Row;
}
