using Edge.Geometry;
using Edge.Tracking;
using OpenCvSharp;
using Xunit.Abstractions;

namespace Edge.Tests.Tracking;

/// <summary>The estimator side of camera-motion compensation, measured: consecutive vtest.avi frames (a fixed camera,
/// people walking) with the second one warped by a known affine, so the true global motion is that affine and the
/// walkers are outliers. Error = mean distance between where the true and the estimated warp send the four image
/// corners and the centre. Run with <c>--logger "console;verbosity=detailed"</c> to see the table quoted in
/// docs/tracking.md.</summary>
public class SparseFlowMotionAccuracyTests(ITestOutputHelper output)
{
    public static TheoryData<string, double, double, double, double> Motions => new()
    {
        // name, dx, dy (px), zoom, rotation (degrees); zoom and rotation about the image centre
        { "pan (8, -5)", 8, -5, 1.0, 0 },
        { "pan (-20, 12)", -20, 12, 1.0, 0 },
        { "zoom in 3 %", 0, 0, 1.03, 0 },
        { "zoom out 3 %", 0, 0, 0.97, 0 },
        { "pan (10, 6) + zoom 2 %", 10, 6, 1.02, 0 },
        { "rotate 1 deg + pan (5, 0)", 5, 0, 1.0, 1 },
    };

    [Theory]
    [MemberData(nameof(Motions))]
    public void RecoversKnownWarpsOfVideoFrames(string name, double dx, double dy, double zoom, double degrees)
    {
        using var capture = new VideoCapture(TestData.VideoPath);
        using var estimator = new SparseFlowMotionEstimator();
        using var previous = new Mat();
        using var next = new Mat();
        using var warped = new Mat();
        int width = 0, height = 0;
        var errors = new List<double>();
        var untreated = new List<double>();
        for (int pair = 0; pair < 10; pair++)
        {
            capture.Set(VideoCaptureProperties.PosFrames, pair * 20);
            Assert.True(capture.Read(previous) && capture.Read(next), $"{TestData.VideoPath}: cannot read frame {pair * 20 + 1}");
            (width, height) = (previous.Width, previous.Height);
            using var matrix = Cv2.GetRotationMatrix2D(new Point2f(width / 2f, height / 2f), degrees, zoom);
            matrix.Set(0, 2, matrix.At<double>(0, 2) + dx);
            matrix.Set(1, 2, matrix.At<double>(1, 2) + dy);
            var truth = new Affine2D(
                (float)matrix.At<double>(0, 0), (float)matrix.At<double>(0, 1), (float)matrix.At<double>(0, 2),
                (float)matrix.At<double>(1, 0), (float)matrix.At<double>(1, 1), (float)matrix.At<double>(1, 2));
            Cv2.WarpAffine(next, warped, matrix, next.Size(), InterpolationFlags.Linear, BorderTypes.Constant, Scalar.Black);

            estimator.Reset();
            estimator.Estimate(previous);
            var estimate = estimator.Estimate(warped);
            errors.Add(MeanDistance(truth, estimate, width, height));
            untreated.Add(MeanDistance(truth, Affine2D.Identity, width, height));
        }
        output.WriteLine($"{name,-26} {width}x{height}: error mean {errors.Average():F2} px, max {errors.Max():F2} px " +
            $"(no compensation: {untreated.Average():F2} px)");
        // Sub-pixel on average, and never worse than a quarter of the motion itself.
        Assert.True(errors.Average() < 1.0, $"{name}: mean error {errors.Average():F2} px");
        Assert.True(errors.Max() < Math.Max(1.5, 0.25 * untreated.Average()), $"{name}: max error {errors.Max():F2} px");
    }

    private static double MeanDistance(in Affine2D a, in Affine2D b, int width, int height)
    {
        ReadOnlySpan<(float X, float Y)> points = [(0, 0), (width, 0), (0, height), (width, height), (width / 2f, height / 2f)];
        double sum = 0;
        foreach (var (x, y) in points)
        {
            var (ax, ay) = a.Apply(x, y);
            var (bx, by) = b.Apply(x, y);
            sum += Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by)));
        }
        return sum / points.Length;
    }
}
