using Edge.Geometry;
using Edge.Interop;
using OpenCvSharp;
using OpenCvSharp.Internal;
using OpenCvSharp.Internal.Vectors;

namespace Edge.Tracking;

/// <summary>
/// Global camera motion between consecutive frames from sparse optical flow, as BoT-SORT's GMC "sparseOptFlow"
/// mode (arXiv 2206.14651 section 3.2): Shi–Tomasi corners on a downscaled grey frame, pyramidal Lucas–Kanade
/// flow to the next frame, and a RANSAC similarity (EstimateAffinePartial2D: rotation, uniform scale,
/// translation), which moving people barely influence because they are outliers to the background motion.
/// Returns the identity on the first frame and whenever too few points survive.
/// </summary>
/// <remarks>Nothing is allocated per frame once warm: working images, corners and flow outputs live in Mats and a
/// native vector reused every frame, and OpenCV is called through OpenCvSharp's native entry points with
/// <c>_InputArray</c>/<c>_OutputArray</c> made natively (<see cref="CvArrayArg"/>, <see cref="NativeCv2"/>), because OpenCvSharp 4.13's
/// <c>Cv2</c> methods return new arrays and wrap every argument in a managed object (docs/performance.md).</remarks>
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
    private readonly Mat _cornerMat = new();
    private readonly Mat _fromMat = new();
    private readonly Mat _toMat = new();
    private readonly VectorOfPoint2f _corners = new();

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
            NativeCv2.Resize(frame, _small, size, InterpolationFlags.Area);
            source = _small;
        }
        if (source.Channels() == 3)
        {
            NativeCv2.CvtColor(source, _gray, ColorConversionCodes.BGR2GRAY);
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

    private unsafe Affine2D EstimateFromPrevious(double scale)
    {
        using var prev = CvArrayArg.In(_prevGray);
        NativeMethods.HandleException(NativeMethods.imgproc_goodFeaturesToTrack(
            prev.Ptr, _corners.CvPtr, _maxCorners, 0.01, 1.0 + (_workWidth / 64.0), IntPtr.Zero, 3, 0, 0.04));
        int count = _corners.Size;
        if (count < _minPoints)
        {
            return Affine2D.Identity;
        }
        var corners = new ReadOnlySpan<Point2f>((void*)_corners.ElemPtr, count);
        _cornerMat.Create(count, 1, MatType.CV_32FC2);
        corners.CopyTo(new Span<Point2f>((void*)_cornerMat.DataPointer, count));
        using (var next = CvArrayArg.In(_gray))
        using (var points = CvArrayArg.In(_cornerMat))
        using (var nextPoints = CvArrayArg.Out(_next))
        using (var status = CvArrayArg.Out(_status))
        using (var error = CvArrayArg.Out(_error))
        {
            NativeMethods.HandleException(NativeMethods.video_calcOpticalFlowPyrLK_InputArray(
                prev.Ptr, next.Ptr, points.Ptr, nextPoints.Ptr, status.Ptr, error.Ptr, new Size(21, 21), 3, TermCriteria.Both(30, 0.01), 0, 1e-4));
        }

        // Correspondences whose flow was found, written straight into the Mats RANSAC reads.
        var found = new ReadOnlySpan<byte>((void*)_status.DataPointer, count);
        var moved = new ReadOnlySpan<Point2f>((void*)_next.DataPointer, count);
        int n = count - found.Count((byte)0);
        if (n < _minPoints)
        {
            return Affine2D.Identity;
        }
        _fromMat.Create(n, 1, MatType.CV_32FC2);
        _toMat.Create(n, 1, MatType.CV_32FC2);
        var from = new Span<Point2f>((void*)_fromMat.DataPointer, n);
        var to = new Span<Point2f>((void*)_toMat.DataPointer, n);
        for (int i = 0, k = 0; i < count; i++)
        {
            if (found[i] != 0)
            {
                (from[k], to[k]) = (corners[i], moved[i]);
                k++;
            }
        }

        IntPtr result;
        using (var source = CvArrayArg.In(_fromMat))
        using (var target = CvArrayArg.In(_toMat))
        using (var inliers = CvArrayArg.Out(_inliers))
        {
            NativeMethods.HandleException(NativeMethods.calib3d_estimateAffinePartial2D(
                source.Ptr, target.Ptr, inliers.Ptr, (int)RobustEstimationAlgorithms.RANSAC, 3.0, 2000, 0.99, 10, out result));
        }
        try
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_empty(result, out int empty));
            if (empty != 0)
            {
                return Affine2D.Identity;
            }
            int inliers = n - new ReadOnlySpan<byte>((void*)_inliers.DataPointer, n).Count((byte)0);
            if (inliers < _minPoints)
            {
                return Affine2D.Identity;
            }
            LastInliers = inliers;
            NativeMethods.HandleException(NativeMethods.core_Mat_data(result, out byte* data));
            var m = new ReadOnlySpan<double>(data, 6);
            // x_s = s·x; x'_s = A x_s + t  ⇒  x' = A x + t / s (the linear part is scale-free).
            return new Affine2D((float)m[0], (float)m[1], (float)(m[2] / scale), (float)m[3], (float)m[4], (float)(m[5] / scale));
        }
        finally
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(result));
        }
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
        _cornerMat.Dispose();
        _fromMat.Dispose();
        _toMat.Dispose();
        _corners.Dispose();
    }
}
