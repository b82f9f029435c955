using Edge.Appearance;
using Edge.Capture;
using Edge.Pipeline;
using Edge.Tests.Appearance;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

public class TrackingAnalyzerAppearanceTests
{
    [Fact]
    public void BudgetedRowsAreMarkedFreshOnlyWhenEmbeddedAndTheFollowTargetIsEmbeddedEveryFrame()
    {
        // OSNet on vtest.avi frames 100-111 with the five hand-labelled people (boxes interpolated between frames 100
        // and 110) and a budget of one crop a frame. Rows the budget skipped repeat the track's gallery mean and must
        // say so (Follow Me only learns from fresh rows); once Follow Me names a target, its row is fresh every frame.
        using var tracking = new TrackingAnalyzer(new ByteTracker(TrackerOptions.Default with { AppearanceThresh = CropModelFactory.ReidAppearanceThresh }, 10),
            cameraMotion: false, new OnnxReidEmbedder(TestData.Model("osnet_x0_25_msmt17.onnx"), intraOpThreads: 1), new EmbeddingScheduleOptions { Budget = 1 }, [0])
        {
            Demand = new AppearanceDemand(),
        };
        var result = new FrameResult();
        int targetId = 0, staleMatched = 0, targetFresh = 0;
        using var capture = new OpenCvSharp.VideoCapture(TestData.VideoPath);
        capture.Set(OpenCvSharp.VideoCaptureProperties.PosFrames, 100);
        using var frame = new OpenCvSharp.Mat();
        for (int f = 100; f < 112; f++)
        {
            Assert.True(capture.Read(frame) && !frame.Empty(), $"could not read frame {f} of {TestData.VideoPath}");
            result.Begin(new FrameStamp(f, f / 10.0), frame.Width, frame.Height);
            float t = Math.Min(1f, (f - 100) / 10f);
            for (int p = 0; p < VtestCrops.Frame100.Length; p++)
            {
                var (a, b) = (VtestCrops.Frame100[p], VtestCrops.Frame110[p]);
                var box = new Geometry.BoxF(a.X1 + (t * (b.X1 - a.X1)), a.Y1 + (t * (b.Y1 - a.Y1)), a.X2 + (t * (b.X2 - a.X2)), a.Y2 + (t * (b.Y2 - a.Y2)));
                result.Detections.Add(new Detection.Detection(box, 0.9f, 0));
            }
            tracking.Analyze(result, frame);

            var fresh = result.FreshAppearance.Span;
            Assert.Equal(result.Detections.Count, fresh.Length);
            Assert.Equal(result.EmbeddedCrops, fresh.ToArray().Count(x => x));
            Assert.True(result.EmbeddedCrops <= 1, $"frame {f}: {result.EmbeddedCrops} crops embedded with a budget of 1");
            int d = result.AppearanceDimension;
            foreach (TrackView track in result.Tracks)
            {
                if (!track.IsMatched)
                {
                    continue;
                }
                var row = result.Appearance.Span.Slice(track.DetectionIndex * d, d);
                if (!fresh[track.DetectionIndex] && tracking.Gallery!.Mean(track.Id) is { IsEmpty: false } mean)
                {
                    Assert.True(row.SequenceEqual(mean), $"frame {f}: track {track.Id}'s skipped row is not its gallery mean");
                    staleMatched++;
                }
                if (track.Id == targetId)
                {
                    Assert.True(fresh[track.DetectionIndex], $"frame {f}: the follow target (track {targetId}) was not embedded");
                    targetFresh++;
                }
            }
            if (f == 104)
            {
                // P3 (red-and-navy jacket) becomes the target from the next frame on.
                targetId = result.Tracks.Single(tr => tr.IsMatched && tr.DetectionIndex == 2).Id;
                tracking.Demand.TargetTrackId = targetId;
            }
        }
        Assert.Equal(7, targetFresh);
        Assert.True(staleMatched >= 20, $"only {staleMatched} rows repeated a gallery mean");
    }
}
