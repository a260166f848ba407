using ShapingCluster.Algorithms.Population;

namespace ShapingCluster.Tests.Population;

public class LambdaScheduleTests
{
    [Fact]
    public void Linear_schedule_follows_the_reference()
    {
        var schedule = new LambdaSchedule();
        Assert.Equal(1 - 0.0015, schedule.At(1), 12);
        Assert.Equal(1 - 0.0015 * 666, schedule.At(666), 12);
        Assert.Equal(-0.0005, schedule.At(667), 9); // the reference lowers λ once more while it is still positive
        Assert.Equal(-0.0005, schedule.At(1024), 9);
    }

    [Fact]
    public void Exponential_schedule_decays_by_a_factor()
    {
        var schedule = new LambdaSchedule(1.0, 0.01, LambdaShape.Exponential);
        Assert.Equal(Math.Pow(0.99, 100), schedule.At(100), 12);
    }

    [Theory]
    [InlineData(LambdaShape.Linear, 0.0005)]
    [InlineData(LambdaShape.Exponential, 0.001)]
    public void Fraction_of_fresh_learner_draws_follows_the_schedule(LambdaShape shape, double step)
    {
        var schedule = new LambdaSchedule(1.0, step, shape);
        foreach (var (from, to) in new[] { (1, 1000), (1001, 2000), (2001, 4000) })
        {
            int naive = 0;
            double expected = 0, variance = 0;
            for (int episode = from; episode <= to; episode++)
            {
                if (schedule.PlaysFresh(seed: 3, episode, stream: 9)) naive++;
                double p = Math.Clamp(schedule.At(episode), 0, 1);
                expected += p;
                variance += p * (1 - p);
            }
            double z = Math.Abs(naive - expected) / Math.Sqrt(Math.Max(variance, 1e-9));
            Assert.True(z < 4 || Math.Abs(naive - expected) < 1, $"episodes {from}-{to}: {naive} naive-learner episodes, expected {expected:F1} (z = {z:F2})");
        }
    }
}
