using System.CommandLine;
using System.Globalization;
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
        var select = new Option<string>("--select") { Description = "Whom to follow: largest, center, id:N, point:X,Y (source pixels), region:X1,Y1,X2,Y2 (first person entering) or label:NAME (the person the --classifier labels NAME).", DefaultValueFactory = _ => "largest" };
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
            TargetSelection selection = ParseSelection(parse.GetValue(select)!);
            if (selection.Kind == TargetSelectionKind.Label && parse.GetValue(crops.Classifier) is not { Length: > 0 })
            {
                throw new EdgeException("--select label:NAME needs a --classifier that produces that label.");
            }
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            using IFrameSource source = run.OpenSource(parse);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            using var tracking = crops.CreateTracking(parse, parse.GetValue(tracker)!, source.Fps, detector.Model.ClassNames);
            using var classification = crops.CreateClassification(parse, detector.Model.ClassNames);
            var followOptions = new FollowOptions { FrameRate = (float)(source.Fps > 0 ? source.Fps : 30) };
            if (crops.UsesReidModel(parse))
            {
                // Re-id similarities of different people reach 0.6 (models README); the histogram's floor is too low.
                followOptions = followOptions with { MinAppearanceSimilarity = CropModelOptions.ReidMinFollowSimilarity };
            }
            var follow = new FollowAnalyzer(followOptions, FollowAnalyzer.DefaultSteering(parse.GetValue(mode)), selection);
            if (crops.UsesReidModel(parse))
            {
                tracking.Demand = follow.Demand = new AppearanceDemand();
            }
            IFrameAnalyzer[] analyzers = classification is null ? [tracking, follow] : [tracking, classification, follow];
            var sinks = new List<IFrameSink> { new JsonlDetectionSink(parse.GetValue(output)!, detector.Model.ClassNames) };
            try
            {
                run.AddRecorder(parse, sinks, source.Fps);
                if (parse.GetValue(run.Video) is { Length: > 0 } videoPath)
                {
                    sinks.Add(new AnnotatedVideoSink(videoPath, source.Fps, new OverlayRenderer(detector.Model.ClassNames)));
                }
                var statistics = await VideoRunOptions.RunAsync("follow", source, detector, analyzers, sinks, run.PipelineOptions(parse), console, ct).ConfigureAwait(false);
                CropModelOptions.WriteSummary(console, tracking, classification);
                return statistics.Frames > 0 ? 0 : 1;
            }
            finally
            {
                VideoRunOptions.DisposeAll(sinks);
            }
        });
        return command;
    }

    /// <summary>Parses <c>largest</c>, <c>center</c>, <c>id:N</c>, <c>point:X,Y</c>, <c>region:X1,Y1,X2,Y2</c>,
    /// <c>label:NAME</c>.</summary>
    public static TargetSelection ParseSelection(string text)
    {
        string[] parts = text.Split(':', 2);
        if (parts.Length == 2 && parts[0].Trim().Equals("label", StringComparison.OrdinalIgnoreCase) && parts[1].Trim().Length > 0)
        {
            return TargetSelection.WithLabel(parts[1].Trim());
        }
        string kind = parts[0].Trim().ToLowerInvariant();
        float[] numbers = parts.Length == 2
            ? parts[1].Split(',').Select(p => float.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) ? v : float.NaN).ToArray()
            : [];
        TargetSelection? selection = (kind, numbers.Length) switch
        {
            ("largest", 0) => TargetSelection.LargestPerson(),
            ("center", 0) => TargetSelection.NearestToCenter(),
            ("id", 1) when numbers[0] >= 1 && numbers[0] == MathF.Floor(numbers[0]) => TargetSelection.ById((int)numbers[0]),
            ("point", 2) when numbers.All(float.IsFinite) => TargetSelection.AtPoint(numbers[0], numbers[1]),
            ("region", 4) when numbers.All(float.IsFinite) && numbers[2] > numbers[0] && numbers[3] > numbers[1] =>
                TargetSelection.FirstEntering(new Geometry.BoxF(numbers[0], numbers[1], numbers[2], numbers[3])),
            _ => null,
        };
        return selection ?? throw new EdgeException(
            $"--select '{text}' is not valid: use largest, center, id:N (N >= 1), point:X,Y, region:X1,Y1,X2,Y2 (source pixels) or label:NAME.");
    }
}
