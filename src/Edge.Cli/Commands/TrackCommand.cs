using System.CommandLine;
using Edge.Capture;
using Edge.Detection;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Sinks;
using Edge.Tracking;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge track</c>: detect and track over a video; MOTChallenge results, optional JSON lines and an
/// annotated video with ids and short trails.</summary>
public static class TrackCommand
{
    public static Command Create()
    {
        var run = new VideoRunOptions(["person"]);
        var output = new Option<string>("--out", "-o") { Description = "Track results in the MOTChallenge format (frame,id,x,y,w,h,conf,-1,-1,-1).", Required = true };
        var jsonl = new Option<string?>("--jsonl") { Description = "Also write detections and tracks as JSON lines." };
        var tracker = TrackerOption();
        var command = new Command("track", "Detect and track people in a video; write MOTChallenge results and optionally an annotated video.");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(jsonl);
        command.Options.Add(tracker);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            long? maxFrames = run.MaxFramesValue(parse);
            using IFrameSource source = FrameSourceFactory.Open(parse.GetValue(run.Source)!);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            using var analyzer = CreateTrackingAnalyzer(parse.GetValue(tracker)!, source.Fps);
            var sinks = new List<IFrameSink> { new MotResultsSink(parse.GetValue(output)!, TrackOutputFilter.ByteTrack) };
            try
            {
                run.AddRecorder(parse, sinks, source.Fps);
                if (parse.GetValue(jsonl) is { Length: > 0 } jsonlPath)
                {
                    sinks.Add(new JsonlDetectionSink(jsonlPath, detector.Model.ClassNames));
                }
                if (parse.GetValue(run.Video) is { Length: > 0 } videoPath)
                {
                    sinks.Add(new AnnotatedVideoSink(videoPath, source.Fps, new OverlayRenderer(detector.Model.ClassNames)));
                }
                var statistics = await VideoRunOptions.RunAsync("track", source, detector, [analyzer], sinks, maxFrames, console, ct).ConfigureAwait(false);
                return statistics.Frames > 0 ? 0 : 1;
            }
            finally
            {
                VideoRunOptions.DisposeAll(sinks);
            }
        });
        return command;
    }

    public static Option<string> TrackerOption()
    {
        var option = new Option<string>("--tracker") { Description = "default (Edge's tuned ByteTrack with camera-motion compensation and colour-histogram appearance), reference (ByteTrack's reference settings) or sort.", DefaultValueFactory = _ => "default" };
        option.AcceptOnlyFromAmong("default", "reference", "sort");
        return option;
    }

    /// <summary>The tracking step for a named configuration at the source's frame rate.</summary>
    public static TrackingAnalyzer CreateTrackingAnalyzer(string name, double fps)
    {
        double frameRate = fps > 0 ? fps : 30;
        if (name == "sort")
        {
            return new TrackingAnalyzer(new SortTracker(), cameraMotion: false, appearance: false);
        }
        var options = name == "reference" ? TrackerOptions.Reference : TrackerOptions.Default;
        return new TrackingAnalyzer(new ByteTracker(options, frameRate), options.CameraMotionCompensation, options.Appearance);
    }
}
