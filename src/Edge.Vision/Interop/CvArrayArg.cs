using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Edge.Interop;

/// <summary>An OpenCV <c>_InputArray</c> or <c>_OutputArray</c> over a Mat, made and freed natively for one call.
/// OpenCvSharp's <c>InputArray</c>/<c>OutputArray</c> are managed objects with finalizers, one per Mat argument of
/// every <c>Cv2</c> call; on a per-frame path that is steady garbage (docs/performance.md).</summary>
internal readonly ref struct CvArrayArg
{
    private readonly Mat? _mat;
    private readonly bool _output;

    private CvArrayArg(Mat? mat, bool output, IntPtr ptr) => (_mat, _output, Ptr) = (mat, output, ptr);

    /// <summary>The native <c>cv::_InputArray*</c> or <c>cv::_OutputArray*</c>.</summary>
    public IntPtr Ptr { get; }

    public static CvArrayArg In(Mat mat)
    {
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(mat.CvPtr, out IntPtr ptr));
        return new CvArrayArg(mat, false, ptr);
    }

    /// <summary>Over a native <c>cv::Mat*</c> the caller owns and keeps alive for the call.</summary>
    public static CvArrayArg In(IntPtr nativeMat)
    {
        NativeMethods.HandleException(NativeMethods.core_InputArray_new_byMat(nativeMat, out IntPtr ptr));
        return new CvArrayArg(null, false, ptr);
    }

    public static CvArrayArg Out(Mat mat)
    {
        NativeMethods.HandleException(NativeMethods.core_OutputArray_new_byMat(mat.CvPtr, out IntPtr ptr));
        return new CvArrayArg(mat, true, ptr);
    }

    public void Dispose()
    {
        NativeMethods.HandleException(_output ? NativeMethods.core_OutputArray_delete(Ptr) : NativeMethods.core_InputArray_delete(Ptr));
        GC.KeepAlive(_mat);
    }
}
