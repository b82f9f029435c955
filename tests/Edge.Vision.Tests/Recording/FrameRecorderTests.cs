using Edge.Capture;
using Edge.Pipeline;
using Edge.Recording;
using OpenCvSharp;

namespace Edge.Tests.Recording;

public class FrameRecorderTests
{
    /// <summary>Live-like stamps: a dropped frame (index 3 missing) and uneven intervals around 15 fps.</summary>
    private static readonly FrameStamp[] Stamps =
        [new(0, 0), new(1, 0.066), new(2, 0.134), new(4, 0.268), new(5, 0.333), new(6, 0.401), new(7, 0.466), new(8, 0.534)];

    [Theory]
    [InlineData("incident.avi")]
    [InlineData("incident.mkv")]
    public void ARecordingReplaysPixelExactWithItsLiveIndicesAndTimestamps(string name)
    {
        string path = Path.Combine(TestData.NewTempDir("record"), name);
        var written = new List<Mat>();
        using (var recorder = new FrameRecorder(path, 15))
        {
            var result = new FrameResult();
            foreach (var stamp in Stamps)
            {
                // Noise is the worst case for a lossy codec: any loss changes pixels.
                var frame = new Mat(48, 64, MatType.CV_8UC3);
                Cv2.Randu(frame, new Scalar(0, 0, 0), new Scalar(256, 256, 256));
                result.Begin(stamp, 64, 48);
                recorder.OnFrame(result, frame);
                written.Add(frame);
            }
            recorder.Complete();
            Assert.Equal("FFV1", recorder.Codec);
        }

        Assert.True(RecordingSource.IsRecording(path));
        using var source = FrameSourceFactory.Open(path);
        Assert.IsType<RecordingSource>(source);
        Assert.Equal(Stamps.Length, source.FrameCount);
        // The live source's rate (the writer's nominal rate), not the rate of the frames kept: replays step like the live run.
        Assert.Equal(15, source.Fps, 3);
        using var read = new Mat();
        for (int i = 0; i < Stamps.Length; i++)
        {
            Assert.True(source.TryRead(read, out var stamp), $"frame {i}");
            Assert.Equal(Stamps[i], stamp);
            Assert.Equal(0, Cv2.Norm(read, written[i], NormTypes.INF));
        }
        Assert.False(source.TryRead(read, out _));
        written.ForEach(m => m.Dispose());
    }

    [Fact]
    public void AMalformedSidecarNamesTheFileAndLine()
    {
        string dir = TestData.NewTempDir("record");
        string sidecar = RecordingTimestamps.SidecarPath(Path.Combine(dir, "x.avi"));
        File.WriteAllLines(sidecar, ["frame,seconds", "0,0", "1;0.1"]);

        var ex = Assert.Throws<EdgeException>(() => RecordingTimestamps.Read(sidecar));

        Assert.Equal($"{sidecar}:3: expected 'frame,seconds', got '1;0.1'", ex.Message);
    }

    [Fact]
    public void OnlyLosslessContainersAreAccepted()
    {
        var ex = Assert.Throws<EdgeException>(() => new FrameRecorder(Path.Combine(TestData.NewTempDir("record"), "x.mp4"), 10));

        Assert.Contains(".avi or .mkv", ex.Message);
    }
}
