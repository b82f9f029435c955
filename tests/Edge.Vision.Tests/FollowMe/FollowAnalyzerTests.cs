using Edge.Capture;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Tests.FollowMe;

public class FollowAnalyzerTests
{
    private const int Dimension = 16;

    /// <summary>Three people walking, each with its own appearance row; the largest (id 1) is followed, and from frame
    /// 40 it is hidden for three frames in every ten (searching, then the tracker's id back). Frames 0..n.</summary>
    private static void Frame(FrameResult result, int f, float[] rows)
    {
        result.Begin(new FrameStamp(f, f / 10.0), 640, 480);
        bool hidden = f >= 40 && f % 10 < 3;
        int d = 0;
        for (int id = 1; id <= 3; id++)
        {
            float height = id == 1 ? 200 : 120;
            var box = BoxF.FromXywh(50 + (id * 150) + (2 * f % 100), 100, height * 0.4f, height);
            bool matched = !(hidden && id == 1);
            result.Tracks.Add(new TrackView(id, box, 0.9f, 0, matched ? TrackState.Confirmed : TrackState.Lost, matched ? 0 : 1, matched ? d : -1, 20, 0));
            if (matched)
            {
                for (int k = 0; k < Dimension; k++)
                {
                    rows[(d * Dimension) + k] = k == id ? 1f : 0f;
                }
                d++;
            }
        }
        result.Appearance = rows.AsMemory(0, d * Dimension);
        result.AppearanceDimension = Dimension;
    }

    [Fact]
    public void AnalyzeAllocatesNothingOnceTheLockIsRunning()
    {
        var follow = new FollowAnalyzer(new FollowOptions { FrameRate = 10 }, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), TargetSelection.LargestPerson());
        var result = new FrameResult();
        var rows = new float[3 * Dimension];
        using var frame = new Mat();
        var states = new FollowState[40];
        var ids = new int[40];
        for (int f = 0; f < 60; f++)
        {
            Frame(result, f, rows);
            follow.Analyze(result, frame);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int f = 60; f < 100; f++)
        {
            Frame(result, f, rows);
            follow.Analyze(result, frame);
            states[f - 60] = follow.Last.State;
            ids[f - 60] = follow.Last.TrackId;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The measured frames must exercise both the locked path and the search (the hidden frames), on person 1.
        Assert.Equal([FollowState.Locked, FollowState.Searching], states.Distinct().Order());
        Assert.All(ids.Where((_, i) => states[i] == FollowState.Locked), id => Assert.Equal(1, id));
        Assert.Equal(0, allocated);
    }
}
