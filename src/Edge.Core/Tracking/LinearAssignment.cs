namespace Edge.Tracking;

/// <summary>
/// Rectangular minimum-cost assignment by shortest augmenting paths with dual potentials (the
/// Jonker–Volgenant / Hungarian family; same optimum as lap.lapjv and scipy's linear_sum_assignment,
/// ties may resolve differently). A workspace object: buffers are sized for the largest problem seen and
/// reused, so a call allocates nothing after warm-up. Not thread-safe; one instance per tracker.
/// </summary>
/// <remarks>
/// With a finite cost limit, pairs costing at least the limit are never matched and leaving a row or column
/// unmatched is allowed: exactly lap's <c>lapjv(cost, extend_cost=True, cost_limit=limit)</c>, which ByteTrack's
/// <c>matching.linear_assignment</c> uses. lap pads to a square matrix whose dummy entries cost limit / 2, so the
/// total is constant + Σ(cᵢⱼ − limit) over matched pairs; we solve that objective directly on rows × (cols + rows)
/// with one zero-cost "unmatched" column per row, which is smaller than lap's (rows + cols)² padding.
/// Without a limit every row (or every column, whichever is fewer) is matched, as scipy does.
/// </remarks>
public sealed class LinearAssignment
{
    private const double Infeasible = 1e12;

    private double[] _work = [];
    private double[] _u = [];
    private double[] _v = [];
    private double[] _minv = [];
    private int[] _p = [];
    private int[] _way = [];
    private bool[] _used = [];
    private int[] _parent = [];
    private int[] _component = [];
    private int[] _start = [];
    private int[] _members = [];

    /// <summary>Number of matched pairs of the last <see cref="Solve"/>.</summary>
    public int MatchCount { get; private set; }

    /// <summary>Solves the assignment for a row-major <paramref name="rows"/> x <paramref name="cols"/> cost matrix.</summary>
    /// <param name="cost">Row-major costs; NaN counts as infeasible.</param>
    /// <param name="costLimit">Pairs with cost &gt;= limit are infeasible and rows/columns may stay unmatched;
    /// <see cref="double.PositiveInfinity"/> for a plain rectangular assignment.</param>
    /// <param name="rowToCol">Receives the matched column per row, or -1 (length &gt;= rows).</param>
    /// <param name="colToRow">Receives the matched row per column, or -1 (length &gt;= cols).</param>
    /// <returns>The number of matched pairs.</returns>
    public int Solve(ReadOnlySpan<float> cost, int rows, int cols, double costLimit, Span<int> rowToCol, Span<int> colToRow)
    {
        if (rows < 0 || cols < 0 || cost.Length < rows * cols)
        {
            throw new ArgumentException($"Cost matrix has {cost.Length} values, expected {rows} x {cols}.", nameof(cost));
        }
        if (rowToCol.Length < rows || colToRow.Length < cols)
        {
            throw new ArgumentException($"Output spans are shorter than {rows} rows / {cols} columns.");
        }
        rowToCol[..rows].Fill(-1);
        colToRow[..cols].Fill(-1);
        MatchCount = 0;
        if (rows == 0 || cols == 0)
        {
            return 0;
        }

        if (!double.IsPositiveInfinity(costLimit))
        {
            return SolveLimited(cost, rows, cols, costLimit, rowToCol, colToRow);
        }
        // Plain rectangular problem on n rows x m columns with n <= m (transposed when needed).
        bool transpose = rows > cols;
        int n = transpose ? cols : rows;
        int m = transpose ? rows : cols;
        EnsureCapacity(n, m);

        Span<double> a = _work.AsSpan(0, n * m);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double c = transpose ? cost[(j * cols) + i] : cost[(i * cols) + j];
                a[(i * m) + j] = double.IsNaN(c) || double.IsInfinity(c) ? Infeasible : c;
            }
        }

        SolveSquareish(a, n, m);

        int count = 0;
        for (int j = 1; j <= m; j++)
        {
            int i = _p[j];
            if (i == 0)
            {
                continue;
            }
            int row = transpose ? j - 1 : i - 1;
            int col = transpose ? i - 1 : j - 1;
            double c = cost[(row * cols) + col];
            if (double.IsNaN(c) || double.IsInfinity(c))
            {
                continue;
            }
            rowToCol[row] = col;
            colToRow[col] = row;
            count++;
        }
        MatchCount = count;
        return count;
    }

    /// <summary>With a cost limit the objective Σ(c − limit) is separable over the connected components of the
    /// graph of feasible pairs, so each component is solved on its own (rows × (cols + rows) with one zero-cost
    /// "unmatched" column per row). Tracking matrices are very sparse: most components are one track and one
    /// detection, which makes a 50 × 50 frame nearly linear instead of O(n² m) on the whole padded matrix.</summary>
    private int SolveLimited(ReadOnlySpan<float> cost, int rows, int cols, double limit, Span<int> rowToCol, Span<int> colToRow)
    {
        int nodes = rows + cols;
        if (_parent.Length < nodes)
        {
            int size = Math.Max(nodes, _parent.Length * 2);
            _parent = new int[size];
            _component = new int[size];
            _start = new int[size + 1];
            _members = new int[size];
        }
        Span<int> parent = _parent.AsSpan(0, nodes);
        for (int k = 0; k < nodes; k++)
        {
            parent[k] = k;
        }
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                if (cost[(i * cols) + j] < limit)
                {
                    int a = Find(parent, i), b = Find(parent, rows + j);
                    if (a != b)
                    {
                        parent[a] = b;
                    }
                }
            }
        }
        // Number the components and bucket their members (rows first, then columns, each ascending).
        Span<int> component = _component.AsSpan(0, nodes);
        component.Fill(-1);
        int count = 0;
        Span<int> compOfNode = _members.AsSpan(0, nodes);
        for (int k = 0; k < nodes; k++)
        {
            int root = Find(parent, k);
            if (component[root] < 0)
            {
                component[root] = count++;
            }
            compOfNode[k] = component[root];
        }
        Span<int> start = _start.AsSpan(0, count + 1);
        start.Clear();
        for (int k = 0; k < nodes; k++)
        {
            start[compOfNode[k] + 1]++;
        }
        for (int c = 0; c < count; c++)
        {
            start[c + 1] += start[c];
        }
        // Reuse `component` as the bucketed member list (node ids), `parent` as a fill cursor.
        Span<int> cursor = parent;
        for (int c = 0; c < count; c++)
        {
            cursor[c] = start[c];
        }
        for (int k = 0; k < nodes; k++)
        {
            component[cursor[compOfNode[k]]++] = k;
        }

        int matched = 0;
        for (int c = 0; c < count; c++)
        {
            ReadOnlySpan<int> members = component[start[c]..start[c + 1]];
            int r = 0;
            while (r < members.Length && members[r] < rows)
            {
                r++;
            }
            int cc = members.Length - r;
            if (r == 0 || cc == 0)
            {
                continue;
            }
            if (r == 1 && cc == 1)
            {
                int row = members[0], col = members[1] - rows;
                rowToCol[row] = col;
                colToRow[col] = row;
                matched++;
                continue;
            }
            int m = cc + r;
            EnsureCapacity(r, m);
            Span<double> a = _work.AsSpan(0, r * m);
            for (int i = 0; i < r; i++)
            {
                int row = members[i];
                for (int j = 0; j < cc; j++)
                {
                    double v = cost[(row * cols) + members[r + j] - rows];
                    a[(i * m) + j] = v < limit ? v - limit : Infeasible;
                }
                a.Slice((i * m) + cc, r).Clear();
            }
            SolveSquareish(a, r, m);
            for (int j = 1; j <= cc; j++)
            {
                int i = _p[j];
                if (i == 0)
                {
                    continue;
                }
                int row = members[i - 1], col = members[r + j - 1] - rows;
                rowToCol[row] = col;
                colToRow[col] = row;
                matched++;
            }
        }
        MatchCount = matched;
        return matched;
    }

    private static int Find(Span<int> parent, int k)
    {
        while (parent[k] != k)
        {
            parent[k] = parent[parent[k]];
            k = parent[k];
        }
        return k;
    }

    /// <summary>Hungarian algorithm with potentials (O(n² m)), 1-based p/way as in the classic formulation:
    /// p[j] is the row assigned to column j.</summary>
    private void SolveSquareish(ReadOnlySpan<double> a, int n, int m)
    {
        Span<double> u = _u.AsSpan(0, n + 1);
        Span<double> v = _v.AsSpan(0, m + 1);
        Span<int> p = _p.AsSpan(0, m + 1);
        Span<int> way = _way.AsSpan(0, m + 1);
        Span<double> minv = _minv.AsSpan(0, m + 1);
        Span<bool> used = _used.AsSpan(0, m + 1);
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
                int rowOffset = (i0 - 1) * m;
                for (int j = 1; j <= m; j++)
                {
                    if (used[j])
                    {
                        continue;
                    }
                    double cur = a[rowOffset + j - 1] - u[i0] - v[j];
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
    }

    private void EnsureCapacity(int n, int m)
    {
        if (_work.Length < n * m)
        {
            _work = new double[n * m];
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
