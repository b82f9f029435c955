using System.Text.Json;
using Edge.Capture;
using Edge.Pipeline;
using Edge.Sinks;

namespace Edge.Tests.Pipeline;

public class DetectionPipelineTests
{
    [Fact]
    public async Task EveryFrameReachesTheSinksInOrderWithItsOwnResult()
    {
        string dir = SyntheticFrames.WriteFolder(40);
        using var source = ImageSequenceSource.OpenFolder(dir, fps: 20);
        var detector = new ScriptedDetector(inferMilliseconds: 2);
        var sink = new RecordingSink();
        var pipeline = new DetectionPipeline(detector, [], [sink]);

        var stats = await pipeline.RunAsync(source);

        Assert.Equal(40, stats.Frames);
        Assert.Equal(40, sink.Frames.Count);
        for (int i = 0; i < 40; i++)
        {
            Assert.Equal(i, sink.Frames[i].Index);
            Assert.Equal(i / 20.0, sink.Frames[i].Seconds, 9);
            // The pixel and the detection both encode the frame index: the slot and the Mat travelled together.
            Assert.Equal(i, sink.Frames[i].Pixel);
            Assert.Equal(i / 255f, sink.Frames[i].Score, 6);
        }
        Assert.Equal(1, sink.Completions);
        Assert.Equal(3, detector.SlotsCreated);
        foreach (var stage in new[] { PipelineStage.Decode, PipelineStage.Preprocess, PipelineStage.Inference, PipelineStage.Postprocess, PipelineStage.Sinks })
        {
            Assert.Equal(40, stats[stage].Count);
        }
        Assert.True(stats[PipelineStage.Inference].P50 >= 1.5, $"inference p50 {stats[PipelineStage.Inference].P50} ms, slept 2 ms");
    }

    [Fact]
    public async Task AnalyzersRunInOrderBeforeSinks()
    {
        string dir = SyntheticFrames.WriteFolder(5);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var log = new List<string>();
        var pipeline = new DetectionPipeline(new ScriptedDetector(), [new LoggingAnalyzer("a", log), new LoggingAnalyzer("b", log)], [new LoggingSink(log)]);

        await pipeline.RunAsync(source);

        Assert.Equal(15, log.Count);
        Assert.Equal(["a0", "b0", "sink0", "a1", "b1", "sink1"], log.Take(6));
    }

    [Fact]
    public async Task MaxFramesStopsEarly()
    {
        string dir = SyntheticFrames.WriteFolder(12);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var sink = new RecordingSink();
        var stats = await new DetectionPipeline(new ScriptedDetector(), [], [sink], new DetectionPipelineOptions { MaxFrames = 7 }).RunAsync(source);
        Assert.Equal(7, stats.Frames);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), sink.Frames.Select(f => f.Index));
    }

    [Fact]
    public async Task CancellationFinishesInFlightFramesAndCompletesOutputs()
    {
        string dir = SyntheticFrames.WriteFolder(60);
        string jsonl = Path.Combine(TestData.NewTempDir("cancel"), "out.jsonl");
        using var source = ImageSequenceSource.OpenFolder(dir);
        using var cts = new CancellationTokenSource();
        using var json = new JsonlDetectionSink(jsonl, ScriptedDetector.Names);
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 5), [], [json]);
        pipeline.FrameCompleted = r =>
        {
            if (r.FrameIndex == 10)
            {
                cts.Cancel();
            }
        };

        var stats = await pipeline.RunAsync(source, cts.Token);

        Assert.True(cts.IsCancellationRequested);
        Assert.InRange(stats.Frames, 11, 11 + 3 + 1);
        // Complete() closed the file: it can be read, and holds exactly one whole JSON line per processed frame.
        string[] lines = File.ReadAllLines(jsonl);
        Assert.Equal(stats.Frames, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            Assert.Equal(i, doc.RootElement.GetProperty("frame").GetInt64());
        }
        Assert.Equal(stats.Frames, json.Lines);
    }

    [Fact]
    public async Task StageFailureStopsTheRunAndIsRethrownAfterCompletingSinks()
    {
        string dir = SyntheticFrames.WriteFolder(30);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var sink = new RecordingSink { Fail = r => r.FrameIndex == 4 ? new EdgeException("disk full") : null };
        var pipeline = new DetectionPipeline(new ScriptedDetector(), [], [sink]);

        var ex = await Assert.ThrowsAsync<EdgeException>(() => pipeline.RunAsync(source));

        Assert.Equal("disk full", ex.Message);
        Assert.Equal(4, sink.Frames.Count);
        Assert.Equal(1, sink.Completions);
    }

    [Fact]
    public async Task InferenceFailureIsRethrown()
    {
        string dir = SyntheticFrames.WriteFolder(5);
        using var source = ImageSequenceSource.OpenFolder(dir);
        var sink = new RecordingSink();
        var detector = new ScriptedDetector { FailOnInfer = new InvalidOperationException("ort failed") };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => new DetectionPipeline(detector, [], [sink]).RunAsync(source));
        Assert.Equal("ort failed", ex.Message);
        Assert.Empty(sink.Frames);
        Assert.Equal(1, sink.Completions);
    }

    private sealed class LoggingAnalyzer(string name, List<string> log) : IFrameAnalyzer
    {
        public void Analyze(FrameResult result, OpenCvSharp.Mat frame) => log.Add(name + result.FrameIndex);
    }

    private sealed class LoggingSink(List<string> log) : IFrameSink
    {
        public void OnFrame(FrameResult result, OpenCvSharp.Mat frame) => log.Add("sink" + result.FrameIndex);

        public void Complete()
        {
        }

        public void Dispose()
        {
        }
    }
}
