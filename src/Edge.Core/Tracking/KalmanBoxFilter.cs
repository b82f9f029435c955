using System.Runtime.CompilerServices;
using Edge.Geometry;

namespace Edge.Tracking;

/// <summary>Eight doubles stored inline (no heap object), the Kalman mean.</summary>
[InlineArray(8)]
public struct KalmanVector8
{
    private double _element0;
}

/// <summary>8x8 doubles stored inline, row-major, the Kalman covariance.</summary>
[InlineArray(64)]
public struct KalmanMatrix8
{
    private double _element0;
}

/// <summary>Mean and covariance of one box track, a plain value (copyable, no allocation).
/// State order: centre x, centre y, aspect ratio a = w / h, height h, then their velocities per frame.</summary>
public struct KalmanBoxState
{
    public KalmanVector8 Mean;
    public KalmanMatrix8 Covariance;

    public readonly float CenterX => (float)Mean[0];
    public readonly float CenterY => (float)Mean[1];
    public readonly float Width => (float)(Mean[2] * Mean[3]);
    public readonly float Height => (float)Mean[3];

    /// <summary>The box of the current mean (x1, y1, x2 = x1 + w, y2 = y1 + h).</summary>
    public readonly BoxF Box
    {
        get
        {
            double h = Mean[3];
            double w = Mean[2] * h;
            double x1 = Mean[0] - (w / 2);
            double y1 = Mean[1] - (h / 2);
            return new BoxF((float)x1, (float)y1, (float)(x1 + w), (float)(y1 + h));
        }
    }
}

/// <summary>
/// Constant-velocity Kalman filter on (x, y, a, h) exactly as ByteTrack's <c>kalman_filter.py</c>
/// (inherited from DeepSORT): the aspect ratio is nearly constant for walking people, so its noise is tiny
/// (1e-2 / 1e-5) while position and height noise scale with the box height (weights 1/20 and 1/160).
/// Keeping ByteTrack's state lets the "reference" configuration reproduce its published settings bit for bit
/// (BoT-SORT's x, y, w, h state differs only in treating width like height).
/// All arithmetic is on inline fixed-size structs: no allocation, usable on any number of tracks.
/// </summary>
public static class KalmanBoxFilter
{
    public const double StdWeightPosition = 1.0 / 20;
    public const double StdWeightVelocity = 1.0 / 160;

    /// <summary>Chi-square 0.95 quantile for 4 degrees of freedom (DeepSORT's <c>chi2inv95[4]</c>), a gate for
    /// <see cref="GatingDistance"/>.</summary>
    public const double Chi2Inv95FourDof = 9.4877;

    /// <summary>Starts a track from one detection: zero velocity, uncertainty proportional to the height.</summary>
    public static void Initiate(ref KalmanBoxState state, in BoxF box)
    {
        double h = box.Height;
        state.Mean[0] = box.CenterX;
        state.Mean[1] = box.CenterY;
        state.Mean[2] = h > 0 ? box.Width / h : 0;
        state.Mean[3] = h;
        for (int i = 4; i < 8; i++)
        {
            state.Mean[i] = 0;
        }
        Span<double> cov = state.Covariance;
        cov.Clear();
        double p = 2 * StdWeightPosition * h;
        double v = 10 * StdWeightVelocity * h;
        cov[0] = p * p;
        cov[9] = p * p;
        cov[18] = 1e-2 * 1e-2;
        cov[27] = p * p;
        cov[36] = v * v;
        cov[45] = v * v;
        cov[54] = 1e-5 * 1e-5;
        cov[63] = v * v;
    }

    /// <summary>One frame ahead: x += v, P = F P Fᵀ + Q with Q from the current height.</summary>
    public static void Predict(ref KalmanBoxState state)
    {
        double h = state.Mean[3];
        double p = StdWeightPosition * h;
        double v = StdWeightVelocity * h;
        for (int i = 0; i < 4; i++)
        {
            state.Mean[i] += state.Mean[i + 4];
        }
        // F = [I I; 0 I]: P11 += P12 + P21 + P22, P12 += P22, P21 += P22 (in this order, using the old blocks).
        Span<double> c = state.Covariance;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double p12 = c[(i * 8) + j + 4];
                double p21 = c[((i + 4) * 8) + j];
                double p22 = c[((i + 4) * 8) + j + 4];
                c[(i * 8) + j] += p12 + p21 + p22;
                c[(i * 8) + j + 4] = p12 + p22;
                c[((i + 4) * 8) + j] = p21 + p22;
            }
        }
        c[0] += p * p;
        c[9] += p * p;
        c[18] += 1e-2 * 1e-2;
        c[27] += p * p;
        c[36] += v * v;
        c[45] += v * v;
        c[54] += 1e-5 * 1e-5;
        c[63] += v * v;
    }

    /// <summary>Corrects the state with a measured box (standard Kalman update, measurement noise from the
    /// predicted height as ByteTrack's <c>project</c>).</summary>
    public static void Update(ref KalmanBoxState state, in BoxF box)
    {
        Span<double> s = stackalloc double[16];
        Project(state, s);
        Span<double> z = stackalloc double[4];
        z[0] = box.CenterX - state.Mean[0];
        z[1] = box.CenterY - state.Mean[1];
        z[2] = (box.Height > 0 ? box.Width / (double)box.Height : 0) - state.Mean[2];
        z[3] = box.Height - state.Mean[3];

        // K = P Hᵀ S⁻¹ through a Cholesky factor of S (as scipy.linalg.cho_solve in the reference).
        Span<double> l = stackalloc double[16];
        Cholesky4(s, l);
        Span<double> pht = stackalloc double[32]; // P Hᵀ = first four columns of P, 8x4
        Span<double> cov = state.Covariance;
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                pht[(i * 4) + j] = cov[(i * 8) + j];
            }
        }
        Span<double> k = stackalloc double[32];
        Span<double> row = stackalloc double[4];
        for (int i = 0; i < 8; i++)
        {
            // Solve S kᵢ = (P Hᵀ)ᵢ for the i-th row of K (S symmetric).
            pht.Slice(i * 4, 4).CopyTo(row);
            CholeskySolve4(l, row);
            row.CopyTo(k.Slice(i * 4, 4));
        }
        for (int i = 0; i < 8; i++)
        {
            double d = 0;
            for (int j = 0; j < 4; j++)
            {
                d += k[(i * 4) + j] * z[j];
            }
            state.Mean[i] += d;
        }
        // P -= K S Kᵀ = K (P Hᵀ)ᵀ.
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                double d = 0;
                for (int m = 0; m < 4; m++)
                {
                    d += k[(i * 4) + m] * pht[(j * 4) + m];
                }
                cov[(i * 8) + j] -= d;
            }
        }
    }

    /// <summary>Squared Mahalanobis distance of a box to the projected state (DeepSORT/ByteTrack
    /// <c>gating_distance</c>, position and shape); compare with <see cref="Chi2Inv95FourDof"/>.</summary>
    public static double GatingDistance(in KalmanBoxState state, in BoxF box)
    {
        Span<double> s = stackalloc double[16];
        Project(state, s);
        Span<double> l = stackalloc double[16];
        Cholesky4(s, l);
        Span<double> z = stackalloc double[4];
        z[0] = box.CenterX - state.Mean[0];
        z[1] = box.CenterY - state.Mean[1];
        z[2] = (box.Height > 0 ? box.Width / (double)box.Height : 0) - state.Mean[2];
        z[3] = box.Height - state.Mean[3];
        // Forward substitution L y = z; distance = |y|².
        double sum = 0;
        for (int i = 0; i < 4; i++)
        {
            double v = z[i];
            for (int j = 0; j < i; j++)
            {
                v -= l[(i * 4) + j] * z[j];
            }
            z[i] = v / l[(i * 4) + i];
            sum += z[i] * z[i];
        }
        return sum;
    }

    /// <summary>Warps the state by the previous-to-current camera motion, as BoT-SORT's GMC
    /// (<c>STrack.multi_gmc</c>, arXiv 2206.14651 section 3.2): the linear part rotates/scales the centre and its
    /// velocity and the translation moves the centre. With the (x, y, a, h) state the height and its velocity
    /// scale by the affine's scale sqrt(|det|) and the aspect ratio is unchanged (BoT-SORT's x, y, w, h state
    /// applies the 2x2 matrix to (w, h) instead). Covariance: P = T P Tᵀ.</summary>
    public static void ApplyCameraMotion(ref KalmanBoxState state, in Affine2D motion)
    {
        if (motion.IsIdentity)
        {
            return;
        }
        double a = motion.A, b = motion.B, c = motion.C, d = motion.D;
        double scale = Math.Sqrt(Math.Abs((a * d) - (b * c)));
        Span<double> t = stackalloc double[64];
        t.Clear();
        t[0] = a; t[1] = b; t[8] = c; t[9] = d;
        t[18] = 1; t[27] = scale;
        t[36] = a; t[37] = b; t[44] = c; t[45] = d;
        t[54] = 1; t[63] = scale;

        Span<double> mean = stackalloc double[8];
        Span<double> m = state.Mean;
        for (int i = 0; i < 8; i++)
        {
            double v = 0;
            for (int j = 0; j < 8; j++)
            {
                v += t[(i * 8) + j] * m[j];
            }
            mean[i] = v;
        }
        mean[0] += motion.Tx;
        mean[1] += motion.Ty;
        mean.CopyTo(m);

        Span<double> tp = stackalloc double[64];
        Span<double> cov = state.Covariance;
        MatMul8(t, cov, tp, transposeB: false);
        MatMul8(tp, t, cov, transposeB: true);
    }

    /// <summary>Projects to measurement space: returns S = H P Hᵀ + R (4x4) with R from the height.</summary>
    private static void Project(in KalmanBoxState state, Span<double> s)
    {
        double h = state.Mean[3];
        double p = StdWeightPosition * h;
        ReadOnlySpan<double> cov = state.Covariance;
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                s[(i * 4) + j] = cov[(i * 8) + j];
            }
        }
        s[0] += p * p;
        s[5] += p * p;
        s[10] += 1e-1 * 1e-1;
        s[15] += p * p;
    }

    private static void Cholesky4(ReadOnlySpan<double> a, Span<double> l)
    {
        l.Clear();
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = a[(i * 4) + j];
                for (int k = 0; k < j; k++)
                {
                    sum -= l[(i * 4) + k] * l[(j * 4) + k];
                }
                l[(i * 4) + j] = i == j ? Math.Sqrt(Math.Max(sum, 1e-300)) : sum / l[(j * 4) + j];
            }
        }
    }

    /// <summary>Solves L Lᵀ x = b in place.</summary>
    private static void CholeskySolve4(ReadOnlySpan<double> l, Span<double> b)
    {
        for (int i = 0; i < 4; i++)
        {
            double v = b[i];
            for (int k = 0; k < i; k++)
            {
                v -= l[(i * 4) + k] * b[k];
            }
            b[i] = v / l[(i * 4) + i];
        }
        for (int i = 3; i >= 0; i--)
        {
            double v = b[i];
            for (int k = i + 1; k < 4; k++)
            {
                v -= l[(k * 4) + i] * b[k];
            }
            b[i] = v / l[(i * 4) + i];
        }
    }

    private static void MatMul8(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result, bool transposeB)
    {
        for (int i = 0; i < 8; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                double v = 0;
                for (int k = 0; k < 8; k++)
                {
                    v += a[(i * 8) + k] * (transposeB ? b[(j * 8) + k] : b[(k * 8) + j]);
                }
                result[(i * 8) + j] = v;
            }
        }
    }
}
