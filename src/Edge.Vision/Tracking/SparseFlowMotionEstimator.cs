using Edge.Geometry;
using OpenCvSharp;

namespace Edge.Tracking;

/// <summary>
/// Global camera motion between consecutive frames from sparse optical flow, as BoT-SORT's GMC "sparseOptFlow"
/// mode (arXiv 2206.14651 section 3.2): Shi–Tomasi corners on a downscaled grey frame, pyramidal Lucas–Kanade
/// flow to the next frame, and a RANSAC similarity (EstimateAffinePartial2D: rotation, uniform scale,
/// translation), which moving people barely influence because they are outliers to the background motion.
/// Returns the identity on the first frame and whenever too few points survive.
/// </summary>
/// <remarks>Working images and flow outputs are Mats reused every frame. OpenCvSharp still allocates a little per
/// frame (about 3.9 KB with the rest of the tracking step, docs/performance.md): the corner array of
/// GoodFeaturesToTrack, which has no overload into a caller's buffer, and its InputArray wrappers.</remarks>
public sealed class SparseFlowMotionEstimator : IDisposable
{
    private readonly int _workWidth;
    private readonly int _maxCorners;
    private readonly int _minPoints;
    private Mat _small = new();
    private Mat _gray = new();
    private Mat _prevGray = new();
    private bool _hasPrevious;
    private readonly Mat _next = new();
    private readonly Mat _status = new();
    private readonly Mat _error = new();
    private readonly Mat _inliers = new();
    private Point2f[] _from = new Point2f[16];
    private Point2f[] _to = new Point2f[16];

    /// <param name="workWidth">Frames are downscaled to this width first (corners and flow cost scale with area).</param>
    /// <param name="maxCorners">Cap on tracked corners.</param>
    /// <param name="minPoints">Fewer surviving correspondences than this gives the identity.</param>
    public SparseFlowMotionEstimator(int workWidth = 320, int maxCorners = 200, int minPoints = 10)
    {
        if (workWidth < 32 || maxCorners < 4 || minPoints < 3)
        {
            throw new EdgeException($"SparseFlowMotionEstimator: workWidth {workWidth} (>= 32), maxCorners {maxCorners} (>= 4), minPoints {minPoints} (>= 3) out of range.");
        }
        _workWidth = workWidth;
        _maxCorners = maxCorners;
        _minPoints = minPoints;
    }

    /// <summary>Number of RANSAC inliers of the last estimate (0 on identity fallbacks).</summary>
    public int LastInliers { get; private set; }

    /// <summary>Forgets the previous frame (next call returns the identity).</summary>
    public void Reset() => _hasPrevious = false;

    /// <summary>Warp from the previous frame given to this one, in full-resolution pixels.</summary>
    /// <param name="frame">BGR or grey frame; its size may change only together with a <see cref="Reset"/>.</param>
    public Affine2D Estimate(Mat frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Empty())
        {
            throw new EdgeException("SparseFlowMotionEstimator: empty frame.");
        }
        LastInliers = 0;
        double scale = Math.Min(1.0, _workWidth / (double)frame.Width);
        var size = new Size(Math.Max(1, (int)Math.Round(frame.Width * scale)), Math.Max(1, (int)Math.Round(frame.Height * scale)));
        Mat source = frame;
        if (scale < 1.0)
        {
            Cv2.Resize(frame, _small, size, 0, 0, InterpolationFlags.Area);
            source = _small;
        }
        if (source.Channels() == 3)
        {
            Cv2.CvtColor(source, _gray, ColorConversionCodes.BGR2GRAY);
        }
        else if (source.Channels() == 1)
        {
            source.CopyTo(_gray);
        }
        else
        {
            throw new EdgeException($"SparseFlowMotionEstimator: expected a 1- or 3-channel frame, got {source.Channels()} channels.");
        }

        try
        {
            if (!_hasPrevious || _prevGray.Size() != _gray.Size())
            {
                return Affine2D.Identity;
            }
            return EstimateFromPrevious(scale);
        }
        finally
        {
            (_prevGray, _gray) = (_gray, _prevGray);
            _hasPrevious = true;
        }
    }

    private Affine2D EstimateFromPrevious(double scale)
    {
        Point2f[] corners = Cv2.GoodFeaturesToTrack(_prevGray, _maxCorners, 0.01, 1.0 + (_workWidth / 64.0), null!, 3, false, 0.04);
        if (corners.Length < _minPoints)
        {
            return Affine2D.Identity;
        }
        // The Mat overload writes into reused Mats; the array overload returns three new arrays every frame.
        using (var cornerMat = Mat.FromPixelData(corners.Length, 1, MatType.CV_32FC2, corners))
        {
            Cv2.CalcOpticalFlowPyrLK(_prevGray, _gray, cornerMat, _next, _status, _error, new Size(21, 21), 3);
        }
        if (_from.Length < corners.Length)
        {
            _from = new Point2f[corners.Length];
            _to = new Point2f[corners.Length];
        }
        int n = 0;
        unsafe
        {
            var next = new ReadOnlySpan<Point2f>((void*)_next.DataPointer, corners.Length);
            var status = new ReadOnlySpan<byte>((void*)_status.DataPointer, corners.Length);
            for (int i = 0; i < corners.Length; i++)
            {
                if (status[i] != 0)
                {
                    _from[n] = corners[i];
                    _to[n] = next[i];
                    n++;
                }
            }
        }
        if (n < _minPoints)
        {
            return Affine2D.Identity;
        }
        using var from = Mat.FromPixelData(n, 1, MatType.CV_32FC2, _from);
        using var to = Mat.FromPixelData(n, 1, MatType.CV_32FC2, _to);
        using var m = Cv2.EstimateAffinePartial2D(from, to, _inliers, RobustEstimationAlgorithms.RANSAC, 3.0);
        if (m is null || m.Empty())
        {
            return Affine2D.Identity;
        }
        LastInliers = Cv2.CountNonZero(_inliers);
        if (LastInliers < _minPoints)
        {
            LastInliers = 0;
            return Affine2D.Identity;
        }
        // x_s = s·x; x'_s = A x_s + t  ⇒  x' = A x + t / s (the linear part is scale-free).
        return new Affine2D(
            (float)m.At<double>(0, 0), (float)m.At<double>(0, 1), (float)(m.At<double>(0, 2) / scale),
            (float)m.At<double>(1, 0), (float)m.At<double>(1, 1), (float)(m.At<double>(1, 2) / scale));
    }

    public void Dispose()
    {
        _small.Dispose();
        _gray.Dispose();
        _prevGray.Dispose();
        _next.Dispose();
        _status.Dispose();
        _error.Dispose();
        _inliers.Dispose();
    }
}
