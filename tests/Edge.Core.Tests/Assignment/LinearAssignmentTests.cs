using Edge.Assignment;

namespace Edge.Tests.Assignment;

public class LinearAssignmentTests
{
    [Fact]
    public void Unlimited_MatchesBruteForceOnRandomRectangularMatrices()
    {
        var rng = new Random(7);
        var solver = new LinearAssignment();
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = rng.Next(1, 9), cols = rng.Next(1, 9);
            float[] cost = RandomCost(rng, rows, cols);
            int[] r2c = new int[rows], c2r = new int[cols];
            int count = solver.Solve(cost, rows, cols, double.PositiveInfinity, r2c, c2r);
            Assert.Equal(Math.Min(rows, cols), count);
            AssertConsistent(r2c, c2r);
            double best = BruteForce(cost, rows, cols, double.PositiveInfinity, 0, new bool[cols], requireAll: true);
            Assert.Equal(best, Total(cost, cols, r2c, 0), 4);
        }
    }

    [Fact]
    public void CostLimit_MatchesBruteForce_LapExtendCostObjective()
    {
        var rng = new Random(11);
        var solver = new LinearAssignment();
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = rng.Next(1, 9), cols = rng.Next(1, 9);
            float[] cost = RandomCost(rng, rows, cols);
            double limit = 0.2 + (rng.NextDouble() * 0.6);
            int[] r2c = new int[rows], c2r = new int[cols];
            solver.Solve(cost, rows, cols, limit, r2c, c2r);
            AssertConsistent(r2c, c2r);
            for (int i = 0; i < rows; i++)
            {
                Assert.True(r2c[i] < 0 || cost[(i * cols) + r2c[i]] < limit, "a pair at or above the cost limit was matched");
            }
            // lap's padded problem minimises Σ(c − limit) over matched pairs.
            double best = BruteForce(cost, rows, cols, limit, 0, new bool[cols], requireAll: false);
            Assert.Equal(best, Total(cost, cols, r2c, limit), 4);
        }
    }

    [Fact]
    public void AllInfeasibleRowStaysUnmatched()
    {
        // Row 1 costs 0.9 everywhere (limit 0.8); rows 0 and 2 prefer column 0, row 2 strongly.
        float[] cost =
        [
            0.3f, 0.5f, 0.9f,
            0.9f, 0.9f, 0.9f,
            0.1f, 0.7f, 0.9f,
        ];
        var solver = new LinearAssignment();
        int[] r2c = new int[3], c2r = new int[3];
        int n = solver.Solve(cost, 3, 3, 0.8, r2c, c2r);
        Assert.Equal(2, n);
        Assert.Equal([1, -1, 0], r2c);
        Assert.Equal([2, 0, -1], c2r);
    }

    [Fact]
    public void EmptyProblemsReturnNoMatches()
    {
        var solver = new LinearAssignment();
        int[] r2c = [5, 5], c2r = [];
        Assert.Equal(0, solver.Solve([], 2, 0, 0.5, r2c, c2r));
        Assert.Equal([-1, -1], r2c);
    }

    [Fact]
    public void SolveAllocatesNothingAfterWarmUp()
    {
        var rng = new Random(3);
        float[] cost = RandomCost(rng, 50, 50);
        int[] r2c = new int[50], c2r = new int[50];
        var solver = new LinearAssignment();
        solver.Solve(cost, 50, 50, 0.8, r2c, c2r);
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                solver.Solve(cost, 50, 50, 0.8, r2c, c2r);
            }
        });
        Assert.Equal(0, allocated);
    }

    private static float[] RandomCost(Random rng, int rows, int cols)
    {
        var c = new float[rows * cols];
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = (float)Math.Round(rng.NextDouble(), 3);
        }
        return c;
    }

    private static void AssertConsistent(int[] r2c, int[] c2r)
    {
        for (int i = 0; i < r2c.Length; i++)
        {
            if (r2c[i] >= 0)
            {
                Assert.Equal(i, c2r[r2c[i]]);
            }
        }
        Assert.Equal(r2c.Count(j => j >= 0), c2r.Count(i => i >= 0));
    }

    private static double Total(float[] cost, int cols, int[] r2c, double shift)
    {
        double sum = 0;
        for (int i = 0; i < r2c.Length; i++)
        {
            if (r2c[i] >= 0)
            {
                sum += cost[(i * cols) + r2c[i]] - shift;
            }
        }
        return sum;
    }

    /// <summary>Exhaustive search. Unlimited: every row (or column, when fewer) matched, minimum total. Limited:
    /// any subset of pairs with cost &lt; limit, minimum Σ(c − limit).</summary>
    private static double BruteForce(float[] cost, int rows, int cols, double limit, int row, bool[] used, bool requireAll)
    {
        if (row == rows)
        {
            if (requireAll && rows <= cols && used.Count(u => u) < rows)
            {
                return double.PositiveInfinity;
            }
            if (requireAll && rows > cols && used.Count(u => u) < cols)
            {
                return double.PositiveInfinity;
            }
            return 0;
        }
        double best = double.PositiveInfinity;
        bool mayskip = !requireAll || rows > cols;
        if (mayskip)
        {
            best = BruteForce(cost, rows, cols, limit, row + 1, used, requireAll);
        }
        double shift = requireAll ? 0 : limit;
        for (int j = 0; j < cols; j++)
        {
            double c = cost[(row * cols) + j];
            if (used[j] || (!requireAll && c >= limit))
            {
                continue;
            }
            used[j] = true;
            best = Math.Min(best, c - shift + BruteForce(cost, rows, cols, limit, row + 1, used, requireAll));
            used[j] = false;
        }
        return best;
    }
}
