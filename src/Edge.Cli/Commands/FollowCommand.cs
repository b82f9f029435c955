using System.CommandLine;
using Edge.Appearance;
using Edge.Capture;
using Edge.Detection;
using Edge.FollowMe;
using Edge.Pipeline;
using Edge.Rendering;
using Edge.Sinks;
using Spectre.Console;

namespace Edge.Cli.Commands;

/// <summary><c>edge follow</c>: detect, track and lock onto one person; one JSON line per frame with the follow
/// state and steering command, and optionally an annotated video (target highlighted, others dimmed).</summary>
public static class FollowCommand
{
    public static Command Create()
    {
        var run = new VideoRunOptions(["person"]);
        var select = new Option<string>("--select") { Description = "Whom to follow: largest, center, id:N, point:X,Y (the centre of the person's box, source pixels), region:X1,Y1,X2,Y2 (first person entering) or label:NAME (the person the --classifier labels NAME).", DefaultValueFactory = _ => "largest" };
        var output = new Option<string>("--out", "-o") { Description = "Per-frame JSON lines: detections, tracks and the follow state and command.", Required = true };
        var tracker = TrackCommand.TrackerOption();
        var mode = new Option<SteeringMode>("--steering") { Description = "Controller outputs: PanTilt or YawForward.", DefaultValueFactory = _ => SteeringMode.PanTilt };
        var crops = new CropModelOptions();
        var command = new Command("follow", "Lock onto one person in a video and emit the follow command every frame.");
        run.AddTo(command);
        crops.AddTo(command);
        foreach (var option in new Option[] { select, output, tracker, mode })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            TargetSelection selection = TargetSelection.Parse(parse.GetValue(select)!);
            var cropSettings = crops.Settings(parse);
            if (selection.Kind == TargetSelectionKind.Label && !cropSettings.UsesClassifier)
            {
                throw new EdgeException("--select label:NAME needs a --classifier that produces that label.");
            }
            string outPath = parse.GetValue(output)!;
            run.CheckDistinctFiles(parse, ("--out", outPath));
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            using IFrameSource source = run.OpenSource(parse);
            selection.CheckInside(source.Width, source.Height);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            using var tracking = CropModelOptions.CreateTracking(cropSettings, parse.GetValue(tracker)!, source.Fps, detector.Model.ClassNames);
            using var classification = CropModelOptions.CreateClassification(cropSettings, detector.Model.ClassNames);
            var followOptions = CropModelFactory.ForAppearanceSource(cropSettings, new FollowOptions { FrameRate = (float)(source.Fps > 0 ? source.Fps : 30) });
            var follow = new FollowAnalyzer(followOptions, FollowAnalyzer.DefaultSteering(parse.GetValue(mode)), selection);
            CropModelFactory.Connect(cropSettings, tracking, follow);
            IFrameAnalyzer[] analyzers = classification is null ? [tracking, follow] : [tracking, classification, follow];
            var sinks = new List<IFrameSink> { new JsonlDetectionSink(outPath, detector.Model.ClassNames) };
            try
            {
                run.AddRecorder(parse, sinks, source.Fps);
                if (parse.GetValue(run.Video) is { Length: > 0 } videoPath)
                {
                    sinks.Add(new AnnotatedVideoSink(videoPath, source.Fps, new OverlayRenderer(detector.Model.ClassNames)));
                }
                var statistics = await VideoRunOptions.RunAsync("follow", source, detector, analyzers, sinks, run.PipelineOptions(parse), console, ct).ConfigureAwait(false);
                CropModelOptions.WriteSummary(console, tracking, classification);
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
}
