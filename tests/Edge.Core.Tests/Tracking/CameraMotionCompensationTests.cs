using Edge.Evaluation;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

/// <summary>Camera-motion compensation scored on MOT data (no images): <see cref="SyntheticCameraMotion"/> pans and
/// zooms detections and ground truth of MOT17-09, and the tracker is given the true warp (a perfect GMC) or none.
/// The full four-sequence numbers are in docs/tracking.md (<c>./edge mot --camera-motion pan-zoom --cmc true|false</c>).</summary>
public class CameraMotionCompensationTests
{
    [Fact]
    public void BetweenMapsThePreviousPoseOntoTheCurrentOne()
    {
        var motion = SyntheticCameraMotion.PanZoom(1920, 1080);
        var world = new MotRecord(0, 1, 700, 300, 80, 200);
        foreach (int f in new[] { 2, 37, 151, 299 })
        {
            var before = motion.Apply(world with { Frame = f - 1 });
            var after = motion.Apply(world with { Frame = f });
            var warp = motion.Between(f);
            (float x1, float y1) = warp.Apply((float)before.X, (float)before.Y);
            (float x2, float y2) = warp.Apply((float)(before.X + before.Width), (float)(before.Y + before.Height));
            Assert.Equal(after.X, x1, 0.01);
            Assert.Equal(after.Y, y1, 0.01);
            Assert.Equal(after.X + after.Width, x2, 0.01);
            Assert.Equal(after.Y + after.Height, y2, 0.01);
        }
        // The preset really moves: up to ~9 px per frame of pan.
        var fastest = motion.Between(200);
        Assert.InRange(Math.Abs(fastest.Tx), 8.0, 12.0);
    }

    [Fact]
    public void TrueWarpRecoversTheStaticCameraScoreAndNoWarpLosesIt()
    {
        string seq = TestData.Shared("data", "mot", "mot17", "train", "MOT17-09-FRCNN");
        var info = SequenceInfo.ReadFile(Path.Combine(seq, "seqinfo.ini"));
        var det = MotChallengeReader.ReadFile(Path.Combine(seq, "det", "det.txt"));
        var gt = MotChallengeReader.ReadFile(Path.Combine(seq, "gt", "gt.txt"));
        var motion = SyntheticCameraMotion.PanZoom(info.ImageWidth, info.ImageHeight);
        var movedDet = motion.Apply(det.Rows);
        var movedGt = motion.Apply(gt.Rows);
        var benchmark = MotEvaluator.DetectBenchmark(gt, info.Name);

        double Hota(IReadOnlyList<MotRecord> detections, IReadOnlyList<MotRecord> truth, Func<int, Geometry.Affine2D>? warp)
        {
            var tracker = new ByteTracker(TrackerOptions.Default, info.FrameRate);
            var rows = MotSequenceTracking.Run(tracker, detections, info.Length, TrackOutputFilter.ByteTrack, 1, default, warp);
            return MotEvaluator.EvaluateSequence(truth, rows, benchmark, info.Length, info.Name).Hota.Hota;
        }

        double still = Hota(det.Rows, gt.Rows, null);
        double compensated = Hota(movedDet, movedGt, motion.Between);
        double uncompensated = Hota(movedDet, movedGt, null);
        Assert.Equal(still, compensated, 0.001); // only 0.1 px output rounding differs
        Assert.True(uncompensated < compensated - 0.01, $"HOTA without the warp {uncompensated:F4}, with {compensated:F4}");
    }
}
