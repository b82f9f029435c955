using Edge.Assignment;

namespace Edge.Tests.Assignment;

/// <summary>The evaluation's assignment solver against exhaustive search on small random matrices (sparse like
/// IoU matrices: most entries zero), both orientations, reusing one solver instance as the metrics do.</summary>
public sealed class MaxWeightAssignmentTests
{
    [Fact]
    public void MatchesBruteForce_OnRandomSparseMatrices()
    {
        var random = new Random(1234);
        var solver = new LinearAssignment();
        for (int trial = 0; trial < 400; trial++)
        {
            int rows = random.Next(0, 7);
            int cols = random.Next(0, 7);
            var w = new double[rows * cols];
            for (int k = 0; k < w.Length; k++)
            {
                w[k] = random.NextDouble() < 0.4 ? Math.Round(random.NextDouble(), 2) : 0;
            }
            var rowToCol = new int[rows];
            solver.SolveMaxWeight(w, rows, cols, rowToCol);

            double total = 0;
            var usedCols = new HashSet<int>();
            for (int r = 0; r < rows; r++)
            {
                if (rowToCol[r] < 0)
                {
                    continue;
                }
                Assert.True(usedCols.Add(rowToCol[r]), $"trial {trial}: column {rowToCol[r]} assigned twice");
                Assert.True(w[r * cols + rowToCol[r]] > 0, $"trial {trial}: zero-weight pair assigned");
                total += w[r * cols + rowToCol[r]];
            }
            Assert.Equal(BruteForce(w, rows, cols, 0, new bool[cols]), total, 1e-9);
        }
    }

    [Fact]
    public void PrefersTwoMediumMatchesOverOneLarge()
    {
        // Greedy would take 0.9 and leave 0.1; the optimum is 0.8 + 0.8.
        double[] w = [0.9, 0.8, 0.8, 0.0];
        var rowToCol = new int[2];
        new LinearAssignment().SolveMaxWeight(w, 2, 2, rowToCol);
        Assert.Equal([1, 0], rowToCol);
    }

    private static double BruteForce(double[] w, int rows, int cols, int row, bool[] used)
    {
        if (row == rows)
        {
            return 0;
        }
        double best = BruteForce(w, rows, cols, row + 1, used); // leave this row unassigned
        for (int c = 0; c < cols; c++)
        {
            if (!used[c] && w[row * cols + c] > 0)
            {
                used[c] = true;
                best = Math.Max(best, w[row * cols + c] + BruteForce(w, rows, cols, row + 1, used));
                used[c] = false;
            }
        }
        return best;
    }
}
