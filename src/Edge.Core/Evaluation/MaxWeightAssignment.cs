using System.Runtime.CompilerServices;

namespace Edge.Evaluation;

/// <summary>Rectangular linear assignment that maximises the total weight, the optimum of
/// <c>scipy.optimize.linear_sum_assignment(-w)</c> which TrackEval uses. Shortest augmenting path with potentials
/// (Kuhn-Munkres in the Jonker-Volgenant form), O(n² m) per connected component. Buffers are reused between calls;
/// not thread-safe.
/// Kept internal to the evaluation code so the scorer stays independent of the tracker it scores.</summary>
internal sealed class MaxWeightAssignment
{
    private double[] _cost = [];
    private double[] _u = [];
    private double[] _v = [];
    private double[] _minv = [];
    private int[] _p = [];
    private int[] _way = [];
    private bool[] _used = [];
    private int[] _parent = [];
    private int[] _rowList = [];
    private int[] _colList = [];
    private int[] _subResult = [];
    private bool[] _componentDone = [];
    private double[] _sub = [];

    /// <summary>Solves for the row-major <paramref name="weights"/> (rows × cols) and writes, per row, the assigned
    /// column or -1 into <paramref name="rowToCol"/>. Only pairs of positive weight are assigned: zero-weight pairs add
    /// nothing to the objective and every caller (TrackEval included) discards them after the assignment.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    public void Solve(ReadOnlySpan<double> weights, int rows, int cols, Span<int> rowToCol)
    {
        if (weights.Length < rows * cols || rowToCol.Length < rows)
        {
            throw new ArgumentException($"Weights {weights.Length} / result {rowToCol.Length} too small for {rows}x{cols}.");
        }
        rowToCol[..rows].Fill(-1);
        if (rows == 0 || cols == 0)
        {
            return;
        }

        // Boxes only compete with the boxes they overlap, so the problem splits into connected components of the
        // positive-weight graph, mostly 1x1 or 2x2 in a crowded frame; solving them one by one is far cheaper than
        // one dense rows x cols Hungarian and gives the same optimum.
        int nodes = rows + cols;
        EnsureComponentCapacity(nodes);
        var parent = _parent.AsSpan(0, nodes);
        for (int k = 0; k < nodes; k++)
        {
            parent[k] = k;
        }
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                if (weights[r * cols + c] > 0)
                {
                    Union(parent, r, rows + c);
                }
            }
        }

        var rowList = _rowList.AsSpan(0, rows);
        var colList = _colList.AsSpan(0, cols);
        var subResult = _subResult.AsSpan(0, rows);
        var done = _componentDone.AsSpan(0, nodes);
        done.Clear();
        for (int r0 = 0; r0 < rows; r0++)
        {
            int root = Find(parent, r0);
            if (done[root] || root == r0 && !HasEdge(weights, r0, cols))
            {
                continue;
            }
            done[root] = true;
            int nr = 0, nc = 0;
            for (int r = r0; r < rows; r++)
            {
                if (Find(parent, r) == root)
                {
                    rowList[nr++] = r;
                }
            }
            for (int c = 0; c < cols; c++)
            {
                if (Find(parent, rows + c) == root)
                {
                    colList[nc++] = c;
                }
            }
            if (nr == 1 && nc == 1)
            {
                rowToCol[rowList[0]] = colList[0];
                continue;
            }
            EnsureSubCapacity(nr * nc);
            var sub = _sub.AsSpan(0, nr * nc);
            for (int i = 0; i < nr; i++)
            {
                for (int j = 0; j < nc; j++)
                {
                    sub[i * nc + j] = weights[rowList[i] * cols + colList[j]];
                }
            }
            SolveDense(sub, nr, nc, subResult);
            for (int i = 0; i < nr; i++)
            {
                int j = subResult[i];
                if (j >= 0 && sub[i * nc + j] > 0)
                {
                    rowToCol[rowList[i]] = colList[j];
                }
            }
        }
    }

    private static bool HasEdge(ReadOnlySpan<double> weights, int row, int cols)
    {
        foreach (double w in weights.Slice(row * cols, cols))
        {
            if (w > 0)
            {
                return true;
            }
        }
        return false;
    }

    private static int Find(Span<int> parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void Union(Span<int> parent, int a, int b)
    {
        int ra = Find(parent, a);
        int rb = Find(parent, b);
        if (ra != rb)
        {
            // Keep the smaller index as root so a component's root is its first row.
            parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
        }
    }

    /// <summary>Dense rectangular maximisation of one component; assigns min(rows, cols) pairs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work: skip the slow tier-0 JIT
    private void SolveDense(ReadOnlySpan<double> weights, int rows, int cols, Span<int> rowToCol)
    {
        rowToCol[..rows].Fill(-1);
        // The algorithm below needs n <= m: transpose a tall matrix. Costs are negated weights (minimisation).
        bool transpose = rows > cols;
        int n = transpose ? cols : rows;
        int m = transpose ? rows : cols;
        EnsureCapacity(n, m);
        var cost = _cost.AsSpan(0, n * m);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                double w = -weights[r * cols + c];
                if (transpose)
                {
                    cost[c * m + r] = w;
                }
                else
                {
                    cost[r * m + c] = w;
                }
            }
        }

        // 1-based arrays; column 0 is the virtual start of each augmenting path (e-maxx formulation).
        var u = _u.AsSpan(0, n + 1);
        var v = _v.AsSpan(0, m + 1);
        var p = _p.AsSpan(0, m + 1);
        var way = _way.AsSpan(0, m + 1);
        var minv = _minv.AsSpan(0, m + 1);
        var used = _used.AsSpan(0, m + 1);
        u.Clear();
        v.Clear();
        p.Clear();
        way.Clear();
        for (int i = 1; i <= n; i++)
        {
            p[0] = i;
            int j0 = 0;
            minv.Fill(double.PositiveInfinity);
            used.Clear();
            do
            {
                used[j0] = true;
                int i0 = p[j0];
                double delta = double.PositiveInfinity;
                int j1 = 0;
                int rowStart = (i0 - 1) * m;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }
                    double cur = cost[rowStart + j - 1] - u[i0] - v[j];
                    if (cur < minv[j])
                    {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if (minv[j] < delta)
                    {
                        delta = minv[j];
                        j1 = j;
                    }
                }
                for (int j = 0; j <= m; j++)
                {
                    if (used[j])
                    {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    }
                    else
                    {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            }
            while (p[j0] != 0);
            do
            {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            }
            while (j0 != 0);
        }

        for (int j = 1; j <= m; j++)
        {
            if (p[j] == 0)
            {
                continue;
            }
            if (transpose)
            {
                rowToCol[j - 1] = p[j] - 1;
            }
            else
            {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
    }

    private void EnsureComponentCapacity(int nodes)
    {
        if (_parent.Length < nodes)
        {
            _parent = new int[nodes];
            _rowList = new int[nodes];
            _colList = new int[nodes];
            _subResult = new int[nodes];
            _componentDone = new bool[nodes];
        }
    }

    private void EnsureSubCapacity(int size)
    {
        if (_sub.Length < size)
        {
            _sub = new double[size];
        }
    }

    private void EnsureCapacity(int n, int m)
    {
        if (_cost.Length < n * m)
        {
            _cost = new double[n * m];
        }
        if (_u.Length < n + 1)
        {
            _u = new double[n + 1];
        }
        if (_v.Length < m + 1)
        {
            _v = new double[m + 1];
            _minv = new double[m + 1];
            _p = new int[m + 1];
            _way = new int[m + 1];
            _used = new bool[m + 1];
        }
    }
}
