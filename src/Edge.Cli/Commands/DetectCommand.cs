using System.CommandLine;
using Edge.Capture;
using Edge.Detection;
using Edge.Rendering;
using Edge.Sinks;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge detect</c>: run a detector over every frame of a source, write detections as JSON lines and
/// optionally an annotated video, then print per-stage latencies.</summary>
public static class DetectCommand
{
    public static Command Create()
    {
        var run = new VideoRunOptions();
        var output = new Option<string>("--out", "-o") { Description = "Detections as JSON lines (one object per frame).", Required = true };
        var mot = new Option<string?>("--mot") { Description = "Also write the detections as a MOTChallenge det.txt (frame,-1,x,y,w,h,score,-1,-1,-1): with the frames (img1/) and a gt.txt they make a sequence for follow-eval and mot." };
        var command = new Command("detect", "Run a YOLO ONNX model over a video, image or folder and write detections as JSON lines.");
        run.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(mot);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            string outputPath = parse.GetValue(output)!;
            if (!outputPath.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) && !outputPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                throw new EdgeException($"--out must be a .jsonl file; got '{outputPath}'");
            }
            run.CheckDistinctFiles(parse, ("--out", outputPath), ("--mot", parse.GetValue(mot)));
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            using IFrameSource source = run.OpenSource(parse);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            var sinks = new List<IFrameSink> { new JsonlDetectionSink(outputPath, detector.Model.ClassNames) };
            try
            {
                if (parse.GetValue(mot) is { Length: > 0 } motPath)
                {
                    sinks.Add(MotResultsSink.ForDetections(motPath));
                }
                run.AddRecorder(parse, sinks, source.Fps);
                string? videoPath = parse.GetValue(run.Video);
                if (videoPath is { Length: > 0 })
                {
                    sinks.Add(new AnnotatedVideoSink(videoPath, source.Fps, new OverlayRenderer(detector.Model.ClassNames)));
                }
                var statistics = await VideoRunOptions.RunAsync("detect", source, detector, [], sinks, run.PipelineOptions(parse), console, ct).ConfigureAwait(false);
                console.MarkupLine($"detections: [blue]{Markup.Escape(outputPath)}[/]" +
                    (videoPath is { Length: > 0 } ? $"  video: [blue]{Markup.Escape(videoPath)}[/]" : ""));
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
}
