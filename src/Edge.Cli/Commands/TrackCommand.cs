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
        var crops = new CropModelOptions();
        var command = new Command("track", "Detect and track people in a video; write MOTChallenge results and optionally an annotated video.");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(jsonl);
        command.Options.Add(tracker);
        crops.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var cropSettings = crops.Settings(parse);
            string outPath = parse.GetValue(output)!;
            // The classifier's labels go to a side file next to the MOT results (frame,id,label,confidence).
            string? labelsPath = cropSettings.UsesClassifier ? Path.ChangeExtension(outPath, ".labels.txt") : null;
            run.CheckDistinctFiles(parse, ("--out", outPath), ("the --out labels file (.labels.txt)", labelsPath), ("--jsonl", parse.GetValue(jsonl)));
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            using IFrameSource source = run.OpenSource(parse);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            using var analyzer = CropModelOptions.CreateTracking(cropSettings, parse.GetValue(tracker)!, source.Fps, detector.Model.ClassNames);
            using var classification = CropModelOptions.CreateClassification(cropSettings, detector.Model.ClassNames);
            var sinks = new List<IFrameSink> { new MotResultsSink(outPath, TrackOutputFilter.ByteTrack, labelsPath) };
            IFrameAnalyzer[] analyzers = classification is null ? [analyzer] : [analyzer, classification];
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
                var statistics = await VideoRunOptions.RunAsync("track", source, detector, analyzers, sinks, run.PipelineOptions(parse), console, ct).ConfigureAwait(false);
                CropModelOptions.WriteSummary(console, analyzer, classification);
                // The pipeline returns normally on Ctrl+C (outputs complete); report the cancellation (exit 130) as detect does.
                ct.ThrowIfCancellationRequested();
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
}
