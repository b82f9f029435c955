using OpenCvSharp;
using OpenCvSharp.Internal;

namespace Edge.Interop;

/// <summary>The few <c>Cv2</c> calls Edge makes on every frame, through OpenCvSharp's native entry points with the
/// same arguments and defaults as the <c>Cv2</c> methods, so they allocate nothing managed (<see cref="CvArrayArg"/>).
/// </summary>
internal static class NativeCv2
{
    /// <summary>As <c>Cv2.Resize(src, dst, size, 0, 0, interpolation)</c>.</summary>
    public static void Resize(Mat src, Mat dst, Size size, InterpolationFlags interpolation)
    {
        using var from = CvArrayArg.In(src);
        Resize(from, dst, size, interpolation);
    }

    /// <summary>As <c>Cv2.Resize(new Mat(src, region), dst, size, 0, 0, interpolation)</c>: the region's header is a
    /// native <c>cv::Mat</c> over <paramref name="src"/>'s pixels, made and freed here (no managed sub-Mat, which has
    /// a finalizer). <paramref name="region"/> must lie inside <paramref name="src"/> (OpenCV checks it).</summary>
    public static void ResizeRegion(Mat src, Rect region, Mat dst, Size size, InterpolationFlags interpolation)
    {
        NativeMethods.HandleException(NativeMethods.core_Mat_new7(src.CvPtr, region, out IntPtr header));
        try
        {
            using var from = CvArrayArg.In(header);
            Resize(from, dst, size, interpolation);
        }
        finally
        {
            NativeMethods.HandleException(NativeMethods.core_Mat_delete(header));
            GC.KeepAlive(src);
        }
    }

    /// <summary>As <c>Cv2.CvtColor(src, dst, code)</c>.</summary>
    public static void CvtColor(Mat src, Mat dst, ColorConversionCodes code)
    {
        using var from = CvArrayArg.In(src);
        using var to = CvArrayArg.Out(dst);
        NativeMethods.HandleException(NativeMethods.imgproc_cvtColor(from.Ptr, to.Ptr, (int)code, 0));
    }

    private static void Resize(in CvArrayArg from, Mat dst, Size size, InterpolationFlags interpolation)
    {
        using var to = CvArrayArg.Out(dst);
        NativeMethods.HandleException(NativeMethods.imgproc_resize(from.Ptr, to.Ptr, size, 0, 0, (int)interpolation));
    }

    /// <summary>As <c>writer.Write(frame)</c>.</summary>
    public static void Write(VideoWriter writer, Mat frame)
    {
        using var image = CvArrayArg.In(frame);
        NativeMethods.HandleException(NativeMethods.videoio_VideoWriter_write(writer.CvPtr, image.Ptr));
        GC.KeepAlive(writer);
    }
}
