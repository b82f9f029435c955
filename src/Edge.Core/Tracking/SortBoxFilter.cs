using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>
/// SORT's Kalman filter (Bewley et al., arXiv 1602.00763; <c>sort.py</c> KalmanBoxTracker on filterpy): state
/// (u, v, s, r, u̇, v̇, ṡ) with s = area and r = aspect ratio w/h held constant; R = diag(1, 1, 10, 10),
/// P₀ = diag(10, 10, 10, 10, 10⁴, 10⁴, 10⁴), Q = diag(1, 1, 1, 1, 0.01, 0.01, 10⁻⁴). Used by
/// <see cref="SortTracker"/> to reproduce SORT exactly.
/// </summary>
internal sealed class SortBoxFilter
{
    private const int N = 7;
    private readonly double[] _x = new double[N];
    private readonly double[] _p = new double[N * N];
    private readonly double[] _tmp = new double[N * N];

    public void Initiate(in BoxF box)
    {
        Array.Clear(_x);
        Array.Clear(_p);
        ToMeasurement(box, _x);
        for (int i = 0; i < 4; i++)
        {
            _p[(i * N) + i] = 10;
        }
        for (int i = 4; i < N; i++)
        {
            _p[(i * N) + i] = 1e4;
        }
    }

    /// <summary>KalmanBoxTracker.predict: the area velocity is zeroed when it would make the area non-positive.</summary>
    public void Predict()
    {
        if (_x[6] + _x[2] <= 0)
        {
            _x[6] = 0;
        }
        _x[0] += _x[4];
        _x[1] += _x[5];
        _x[2] += _x[6];
        // P = F P Fᵀ with F = I + E(0,4) + E(1,5) + E(2,6): rows/cols 0..2 gain rows/cols 4..6.
        Array.Copy(_p, _tmp, N * N);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < N; j++)
            {
                _tmp[(i * N) + j] += _p[((i + 4) * N) + j];
            }
        }
        Array.Copy(_tmp, _p, N * N);
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < N; i++)
            {
                _p[(i * N) + j] += _tmp[(i * N) + j + 4];
            }
        }
        _p[0] += 1; _p[8] += 1; _p[16] += 1; _p[24] += 1;
        _p[32] += 0.01; _p[40] += 0.01; _p[48] += 1e-4;
    }

    /// <summary>Standard update (filterpy's Joseph-form result equals P − K S Kᵀ in exact arithmetic).</summary>
    public void Update(in BoxF box)
    {
        Span<double> z = stackalloc double[4];
        ToMeasurement(box, z);
        Span<double> s = stackalloc double[16];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                s[(i * 4) + j] = _p[(i * N) + j];
            }
            z[i] -= _x[i];
        }
        s[0] += 1; s[5] += 1; s[10] += 10; s[15] += 10;
        Span<double> inv = stackalloc double[16];
        Invert4(s, inv);
        Span<double> k = stackalloc double[N * 4];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double v = 0;
                for (int m = 0; m < 4; m++)
                {
                    v += _p[(i * N) + m] * inv[(m * 4) + j];
                }
                k[(i * 4) + j] = v;
            }
        }
        for (int i = 0; i < N; i++)
        {
            double v = 0;
            for (int j = 0; j < 4; j++)
            {
                v += k[(i * 4) + j] * z[j];
            }
            _x[i] += v;
        }
        // P -= K (H P): H P is the first four rows of P.
        Array.Copy(_p, _tmp, N * N);
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < N; j++)
            {
                double v = 0;
                for (int m = 0; m < 4; m++)
                {
                    v += k[(i * 4) + m] * _tmp[(m * N) + j];
                }
                _p[(i * N) + j] -= v;
            }
        }
    }

    /// <summary>convert_x_to_bbox: w = sqrt(s·r), h = s / w; NaN when s·r &lt; 0 (SORT then drops the track).</summary>
    public BoxF Box
    {
        get
        {
            double w = Math.Sqrt(_x[2] * _x[3]);
            double h = _x[2] / w;
            return new BoxF((float)(_x[0] - (w / 2)), (float)(_x[1] - (h / 2)), (float)(_x[0] + (w / 2)), (float)(_x[1] + (h / 2)));
        }
    }

    public float VelocityX => (float)_x[4];
    public float VelocityY => (float)_x[5];

    private static void ToMeasurement(in BoxF box, Span<double> z)
    {
        double w = (double)box.X2 - box.X1;
        double h = (double)box.Y2 - box.Y1;
        z[0] = box.X1 + (w / 2);
        z[1] = box.Y1 + (h / 2);
        z[2] = w * h;
        z[3] = w / h;
    }

    /// <summary>Gauss–Jordan inverse with partial pivoting of a 4x4 matrix.</summary>
    private static void Invert4(ReadOnlySpan<double> a, Span<double> inv)
    {
        Span<double> m = stackalloc double[32];
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                m[(i * 8) + j] = a[(i * 4) + j];
                m[(i * 8) + j + 4] = i == j ? 1 : 0;
            }
        }
        for (int c = 0; c < 4; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < 4; r++)
            {
                if (Math.Abs(m[(r * 8) + c]) > Math.Abs(m[(pivot * 8) + c]))
                {
                    pivot = r;
                }
            }
            if (pivot != c)
            {
                for (int j = 0; j < 8; j++)
                {
                    (m[(c * 8) + j], m[(pivot * 8) + j]) = (m[(pivot * 8) + j], m[(c * 8) + j]);
                }
            }
            double d = m[(c * 8) + c];
            for (int j = 0; j < 8; j++)
            {
                m[(c * 8) + j] /= d;
            }
            for (int r = 0; r < 4; r++)
            {
                if (r == c)
                {
                    continue;
                }
                double f = m[(r * 8) + c];
                if (f == 0)
                {
                    continue;
                }
                for (int j = 0; j < 8; j++)
                {
                    m[(r * 8) + j] -= f * m[(c * 8) + j];
                }
            }
        }
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                inv[(i * 4) + j] = m[(i * 8) + j + 4];
            }
        }
    }
}
