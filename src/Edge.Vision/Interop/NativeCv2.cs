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
        using var to = CvArrayArg.Out(dst);
        NativeMethods.HandleException(NativeMethods.imgproc_resize(from.Ptr, to.Ptr, size, 0, 0, (int)interpolation));
    }

    /// <summary>As <c>Cv2.CvtColor(src, dst, code)</c>.</summary>
    public static void CvtColor(Mat src, Mat dst, ColorConversionCodes code)
    {
        using var from = CvArrayArg.In(src);
        using var to = CvArrayArg.Out(dst);
        NativeMethods.HandleException(NativeMethods.imgproc_cvtColor(from.Ptr, to.Ptr, (int)code, 0));
    }

    /// <summary>As <c>writer.Write(frame)</c>.</summary>
    public static void Write(VideoWriter writer, Mat frame)
    {
        using var image = CvArrayArg.In(frame);
        NativeMethods.HandleException(NativeMethods.videoio_VideoWriter_write(writer.CvPtr, image.Ptr));
        GC.KeepAlive(writer);
    }
}
