using System.Runtime.CompilerServices;

namespace Edge.Assignment;

/// <summary>
/// Rectangular linear assignment by shortest augmenting paths with dual potentials (the Jonker–Volgenant /
/// Hungarian family, O(n² m) per connected component). One solver for the tracker (minimum cost with a cost limit,
/// lap's <c>lapjv(extend_cost=True, cost_limit=…)</c> as ByteTrack uses it) and the evaluation (maximum weight,
/// <c>scipy.optimize.linear_sum_assignment(-w)</c> as TrackEval uses it). A workspace object: buffers are sized for
/// the largest problem seen and reused, so a call allocates nothing after warm-up. Not thread-safe.
/// </summary>
/// <remarks>
/// Both problems split into connected components of the graph of admissible pairs (cost below the limit; weight
/// above zero): IoU matrices are sparse, so most components are 1×1 and a crowded frame is nearly linear instead of
/// one dense Hungarian. Each component is solved with its rows and columns in ascending order, so ties resolve the
/// same way as a dense solve restricted to it.
/// <para>Minimum cost with a limit: lap pads to a square matrix whose dummy entries cost limit / 2, so its total is
/// constant + Σ(cᵢⱼ − limit) over matched pairs; we solve that objective directly on rows × (cols + rows) with one
/// zero-cost "unmatched" column per row. Without a limit every row (or every column, whichever is fewer) is matched,
/// as scipy does.</para>
/// <para>Maximum weight: each component is solved as a dense rectangular problem on the negated weights (min(rows,
/// cols) pairs) and only positive-weight pairs are kept: zero-weight pairs add nothing and TrackEval discards them
/// after its assignment.</para>
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
    private int[] _members = [];
    private int[] _start = [];
    private int[] _componentOf = [];
    private int[] _colScratch = [];

    /// <summary>Number of matched pairs of the last solve.</summary>
    public int MatchCount { get; private set; }

    /// <summary>Minimum-cost assignment for a row-major <paramref name="rows"/> x <paramref name="cols"/> cost matrix.</summary>
    /// <param name="cost">Row-major costs; NaN counts as infeasible.</param>
    /// <param name="costLimit">Pairs with cost &gt;= limit are infeasible and rows/columns may stay unmatched;
    /// <see cref="double.PositiveInfinity"/> for a plain rectangular assignment.</param>
    /// <param name="rowToCol">Receives the matched column per row, or -1 (length &gt;= rows).</param>
    /// <param name="colToRow">Receives the matched row per column, or -1 (length &gt;= cols).</param>
    /// <returns>The number of matched pairs.</returns>
    public int Solve(ReadOnlySpan<float> cost, int rows, int cols, double costLimit, Span<int> rowToCol, Span<int> colToRow)
    {
        if (!Start(cost.Length, rows, cols, rowToCol, colToRow))
        {
            return 0;
        }
        if (!double.IsPositiveInfinity(costLimit))
        {
            int components = Decompose(new BelowLimit(cost, cols, costLimit), rows, cols);
            return SolveComponents(new BelowLimit(cost, cols, costLimit), components, rows, rowToCol, colToRow, maxWeight: false);
        }
        // Plain rectangular problem: the whole matrix is one dense component; non-finite pairs are never kept.
        Span<int> members = Members(rows + cols);
        for (int k = 0; k < members.Length; k++)
        {
            members[k] = k;
        }
        MatchCount = SolveDenseComponent(new Finite(cost, cols), members, rows, cols, rows, rowToCol, colToRow);
        return MatchCount;
    }

    /// <summary>Maximum-weight assignment for row-major <paramref name="weights"/> (rows × cols); writes, per row, the
    /// assigned column or -1. Only pairs of positive weight are assigned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // batch work in the evaluation: skip the slow tier-0 JIT
    public int SolveMaxWeight(ReadOnlySpan<double> weights, int rows, int cols, Span<int> rowToCol)
    {
        ScratchArray.EnsureLength(ref _colScratch, cols);
        Span<int> colToRow = _colScratch.AsSpan(0, cols);
        if (!Start(weights.Length, rows, cols, rowToCol, colToRow))
        {
            return 0;
        }
        int components = Decompose(new PositiveWeight(weights, cols), rows, cols);
        return SolveComponents(new PositiveWeight(weights, cols), components, rows, rowToCol, colToRow, maxWeight: true);
    }

    private bool Start(int length, int rows, int cols, Span<int> rowToCol, Span<int> colToRow)
    {
        if (rows < 0 || cols < 0 || length < rows * cols)
        {
            throw new ArgumentException($"Matrix has {length} values, expected {rows} x {cols}.");
        }
        if (rowToCol.Length < rows || colToRow.Length < cols)
        {
            throw new ArgumentException($"Output spans are shorter than {rows} rows / {cols} columns.");
        }
        rowToCol[..rows].Fill(-1);
        colToRow[..cols].Fill(-1);
        MatchCount = 0;
        return rows > 0 && cols > 0;
    }

    private static void Pair(int row, int col, Span<int> rowToCol, Span<int> colToRow)
    {
        rowToCol[row] = col;
        colToRow[col] = row;
    }

    /// <summary>What makes a pair admissible and what it costs; a ref struct so each solver gets its own specialised,
    /// inlined copy of the generic code below without a delegate.</summary>
    private interface IPairs
    {
        bool Admissible(int row, int col);

        /// <summary>The cost the per-component solve minimises (the cost minus the limit, or the negated weight).</summary>
        double Cost(int row, int col);
    }

    private readonly ref struct BelowLimit(ReadOnlySpan<float> cost, int cols, double limit) : IPairs
    {
        private readonly ReadOnlySpan<float> _cost = cost;

        public bool Admissible(int row, int col) => _cost[(row * cols) + col] < limit;

        public double Cost(int row, int col) => _cost[(row * cols) + col] - limit;
    }

    private readonly ref struct Finite(ReadOnlySpan<float> cost, int cols) : IPairs
    {
        private readonly ReadOnlySpan<float> _cost = cost;

        public bool Admissible(int row, int col) => float.IsFinite(_cost[(row * cols) + col]);

        public double Cost(int row, int col) => Admissible(row, col) ? _cost[(row * cols) + col] : Infeasible;
    }

    private readonly ref struct PositiveWeight(ReadOnlySpan<double> weights, int cols) : IPairs
    {
        private readonly ReadOnlySpan<double> _weights = weights;

        public bool Admissible(int row, int col) => _weights[(row * cols) + col] > 0;

        public double Cost(int row, int col) => -_weights[(row * cols) + col];
    }

    /// <summary>Connected components of the admissible-pair graph (union–find over rows then columns). Leaves the
    /// members of component c in <c>_members[_start[c].._start[c + 1]]</c>: rows first, then columns (as
    /// rows + col), each ascending. Returns the number of components.</summary>
    private int Decompose<T>(scoped in T pairs, int rows, int cols) where T : IPairs, allows ref struct
    {
        int nodes = rows + cols;
        Members(nodes);
        Span<int> parent = _parent.AsSpan(0, nodes);
        for (int k = 0; k < nodes; k++)
        {
            parent[k] = k;
        }
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                if (pairs.Admissible(i, j))
                {
                    int a = Find(parent, i), b = Find(parent, rows + j);
                    if (a != b)
                    {
                        parent[a] = b;
                    }
                }
            }
        }
        // Number the components, then bucket their members in node order.
        Span<int> number = _members.AsSpan(0, nodes);
        number.Fill(-1);
        Span<int> componentOf = _componentOf.AsSpan(0, nodes);
        int count = 0;
        for (int k = 0; k < nodes; k++)
        {
            int root = Find(parent, k);
            if (number[root] < 0)
            {
                number[root] = count++;
            }
            componentOf[k] = number[root];
        }
        Span<int> start = _start.AsSpan(0, count + 1);
        start.Clear();
        for (int k = 0; k < nodes; k++)
        {
            start[componentOf[k] + 1]++;
        }
        for (int c = 0; c < count; c++)
        {
            start[c + 1] += start[c];
        }
        Span<int> cursor = parent; // no longer needed as union–find
        start[..count].CopyTo(cursor);
        Span<int> members = _members.AsSpan(0, nodes);
        for (int k = 0; k < nodes; k++)
        {
            members[cursor[componentOf[k]]++] = k;
        }
        return count;
    }

    private int SolveComponents<T>(scoped in T pairs, int count, int rows, Span<int> rowToCol, Span<int> colToRow, bool maxWeight)
        where T : IPairs, allows ref struct
    {
        int matched = 0;
        for (int c = 0; c < count; c++)
        {
            ReadOnlySpan<int> members = _members.AsSpan(_start[c], _start[c + 1] - _start[c]);
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
                Pair(members[0], members[1] - rows, rowToCol, colToRow);
                matched++;
                continue;
            }
            matched += maxWeight
                ? SolveDenseComponent(pairs, members, r, cc, rows, rowToCol, colToRow)
                : SolvePaddedComponent(pairs, members, r, cc, rows, rowToCol, colToRow);
        }
        MatchCount = matched;
        return matched;
    }

    /// <summary>Cost-limited component: r × (cc + r), inadmissible pairs infeasible, one zero "unmatched" column per row.</summary>
    private int SolvePaddedComponent<T>(scoped in T pairs, ReadOnlySpan<int> members, int r, int cc, int rows, Span<int> rowToCol, Span<int> colToRow)
        where T : IPairs, allows ref struct
    {
        int m = cc + r;
        EnsureCapacity(r, m);
        Span<double> a = _work.AsSpan(0, r * m);
        for (int i = 0; i < r; i++)
        {
            int row = members[i];
            for (int j = 0; j < cc; j++)
            {
                int col = members[r + j] - rows;
                a[(i * m) + j] = pairs.Admissible(row, col) ? pairs.Cost(row, col) : Infeasible;
            }
            a.Slice((i * m) + cc, r).Clear();
        }
        SolveSquareish(a, r, m);
        int matched = 0;
        for (int j = 1; j <= cc; j++)
        {
            int i = _p[j];
            if (i != 0)
            {
                Pair(members[i - 1], members[r + j - 1] - rows, rowToCol, colToRow);
                matched++;
            }
        }
        return matched;
    }

    /// <summary>Dense rectangular problem on <see cref="IPairs.Cost"/> (the negated weights of a maximum-weight
    /// component, or the whole matrix without a cost limit), transposed when taller than wide as the algorithm needs
    /// rows ≤ columns; min(r, cc) pairs are assigned and the admissible ones kept.</summary>
    private int SolveDenseComponent<T>(scoped in T pairs, ReadOnlySpan<int> members, int r, int cc, int rows, Span<int> rowToCol, Span<int> colToRow)
        where T : IPairs, allows ref struct
    {
        bool transpose = r > cc;
        int n = transpose ? cc : r;
        int m = transpose ? r : cc;
        EnsureCapacity(n, m);
        Span<double> a = _work.AsSpan(0, n * m);
        for (int i = 0; i < r; i++)
        {
            for (int j = 0; j < cc; j++)
            {
                a[transpose ? (j * m) + i : (i * m) + j] = pairs.Cost(members[i], members[r + j] - rows);
            }
        }
        SolveSquareish(a, n, m);
        int matched = 0;
        for (int j = 1; j <= m; j++)
        {
            if (_p[j] == 0)
            {
                continue;
            }
            int row = members[transpose ? j - 1 : _p[j] - 1];
            int col = members[r + (transpose ? _p[j] - 1 : j - 1)] - rows;
            if (pairs.Admissible(row, col))
            {
                Pair(row, col, rowToCol, colToRow);
                matched++;
            }
        }
        return matched;
    }

    /// <summary>Sizes the component buffers for <paramref name="nodes"/> rows + columns; returns the member list.</summary>
    private Span<int> Members(int nodes)
    {
        if (_parent.Length < nodes)
        {
            int size = Math.Max(nodes, _parent.Length * 2);
            _parent = new int[size];
            _members = new int[size];
            _start = new int[size + 1];
            _componentOf = new int[size];
        }
        return _members.AsSpan(0, nodes);
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

    /// <summary>Hungarian algorithm with potentials (O(n² m)) on an n × m matrix, n ≤ m, 1-based p/way as in the
    /// classic (e-maxx) formulation: afterwards p[j] is the row (1-based, 0 = none) assigned to column j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        ScratchArray.EnsureLength(ref _work, n * m);
        ScratchArray.EnsureLength(ref _u, n + 1);
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
