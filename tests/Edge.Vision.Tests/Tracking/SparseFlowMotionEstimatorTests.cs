using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Tests.Tracking;

public class SparseFlowMotionEstimatorTests
{
    private static Mat Texture(int width, int height)
    {
        var bytes = new byte[width * height * 3];
        new Random(1).NextBytes(bytes);
        using var noise = Mat.FromPixelData(height, width, MatType.CV_8UC3, bytes);
        var m = noise.Clone();
        Cv2.GaussianBlur(m, m, new Size(7, 7), 2);
        return m;
    }

    [Fact]
    public void RecoversAKnownTranslationAtFullResolution()
    {
        using var big = Texture(760, 560);
        // Two 640x480 crops: the second is the scene moved by (+12, -8) px, i.e. the camera panned the other way.
        using var prev = new Mat(big, new Rect(60, 40, 640, 480)).Clone();
        using var next = new Mat(big, new Rect(48, 48, 640, 480)).Clone();
        using var estimator = new SparseFlowMotionEstimator(workWidth: 320);
        Assert.True(estimator.Estimate(prev).IsIdentity);
        var warp = estimator.Estimate(next);
        Assert.InRange(warp.Tx, 12 - 1.0, 12 + 1.0);
        Assert.InRange(warp.Ty, -8 - 1.0, -8 + 1.0);
        Assert.InRange(warp.A, 0.98, 1.02);
        Assert.InRange(warp.D, 0.98, 1.02);
        Assert.InRange(warp.B, -0.02, 0.02);
        Assert.True(estimator.LastInliers >= 10);
    }

    [Fact]
    public void EstimateAllocatesNothingOnceWarm()
    {
        // A camera panning back and forth over a textured scene (full-resolution frames, so the resize runs too):
        // every frame gives a real estimate, and after the first pair nothing is allocated on the managed heap.
        using var big = Texture(760, 560);
        using var left = new Mat(big, new Rect(60, 40, 640, 480)).Clone();
        using var right = new Mat(big, new Rect(48, 48, 640, 480)).Clone();
        using var estimator = new SparseFlowMotionEstimator(workWidth: 320);
        estimator.Estimate(left);
        estimator.Estimate(right);
        int estimates = 0;
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            estimates = 0;
            for (int i = 0; i < 10; i++)
            {
                estimates += estimator.Estimate(i % 2 == 0 ? left : right).IsIdentity ? 0 : 1;
            }
        });
        Assert.Equal(10, estimates);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TexturelessFrames_GiveIdentity()
    {
        using var flat = new Mat(480, 640, MatType.CV_8UC3, Scalar.All(128));
        using var estimator = new SparseFlowMotionEstimator();
        estimator.Estimate(flat);
        Assert.True(estimator.Estimate(flat).IsIdentity);
        Assert.Equal(0, estimator.LastInliers);
    }

    [Fact]
    public void VideoFrames_GiveNearIdentityForAStaticCamera()
    {
        // vtest.avi is filmed by a fixed camera: the estimated warp between frames stays close to the identity
        // even though people move (they are RANSAC outliers).
        using var capture = new VideoCapture(TestData.VideoPath);
        using var frame = new Mat();
        using var estimator = new SparseFlowMotionEstimator();
        int checkedFrames = 0;
        for (int i = 0; i < 30 && capture.Read(frame) && !frame.Empty(); i++)
        {
            var w = estimator.Estimate(frame);
            if (i > 0 && !w.IsIdentity)
            {
                Assert.InRange(w.Tx, -2, 2);
                Assert.InRange(w.Ty, -2, 2);
                Assert.InRange(w.A, 0.99, 1.01);
                checkedFrames++;
            }
        }
        Assert.True(checkedFrames > 20, $"only {checkedFrames} frames gave an estimate");
    }
}
