using System.CommandLine;
using System.Globalization;
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
        var select = new Option<string>("--select") { Description = "Whom to follow: largest, center, id:N, point:X,Y (source pixels) or region:X1,Y1,X2,Y2 (first person entering).", DefaultValueFactory = _ => "largest" };
        var output = new Option<string>("--out", "-o") { Description = "Per-frame JSON lines: detections, tracks and the follow state and command.", Required = true };
        var tracker = TrackCommand.TrackerOption();
        var mode = new Option<SteeringMode>("--steering") { Description = "Controller outputs: PanTilt or YawForward.", DefaultValueFactory = _ => SteeringMode.PanTilt };
        var command = new Command("follow", "Lock onto one person in a video and emit the follow command every frame.");
        run.AddTo(command);
        foreach (var option in new Option[] { select, output, tracker, mode })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            TargetSelection selection = ParseSelection(parse.GetValue(select)!);
            var detectorOptions = run.DetectorOptions(parse);
            IAnsiConsole console = VideoRunOptions.CreateConsole();
            long? maxFrames = run.MaxFramesValue(parse);
            using IFrameSource source = FrameSourceFactory.Open(parse.GetValue(run.Source)!);
            using IObjectDetector detector = YoloDetector.Create(detectorOptions);
            using var tracking = TrackCommand.CreateTrackingAnalyzer(parse.GetValue(tracker)!, source.Fps);
            var follow = new FollowAnalyzer(
                new FollowOptions { FrameRate = (float)(source.Fps > 0 ? source.Fps : 30) },
                DefaultSteering(parse.GetValue(mode)),
                selection);
            var sinks = new List<IFrameSink> { new JsonlDetectionSink(parse.GetValue(output)!, detector.Model.ClassNames) };
            try
            {
                run.AddRecorder(parse, sinks, source.Fps);
                if (parse.GetValue(run.Video) is { Length: > 0 } videoPath)
                {
                    sinks.Add(new AnnotatedVideoSink(videoPath, source.Fps, new OverlayRenderer(detector.Model.ClassNames)));
                }
                var statistics = await VideoRunOptions.RunAsync("follow", source, detector, [tracking, follow], sinks, maxFrames, console, ct).ConfigureAwait(false);
                return statistics.Frames > 0 ? 0 : 1;
            }
            finally
            {
                VideoRunOptions.DisposeAll(sinks);
            }
        });
        return command;
    }

    /// <summary>Conservative gains for a gimbal or a slow ground robot: proportional on the normalised offset,
    /// a little integral for steady tracking, a 2 % dead-band so the camera does not hunt, outputs in -1..1
    /// (fraction of full rate) with a rate limit of 2 per second. Tune per platform.</summary>
    public static SteeringController DefaultSteering(SteeringMode mode)
    {
        var axis = new PidSettings(Kp: 0.8f, Ki: 0.05f, Kd: 0.1f, DeadBand: 0.02f, OutputMin: -1f, OutputMax: 1f, MaxRate: 2f);
        return new SteeringController(mode, axis, axis);
    }

    /// <summary>Parses <c>largest</c>, <c>center</c>, <c>id:N</c>, <c>point:X,Y</c>, <c>region:X1,Y1,X2,Y2</c>.</summary>
    public static TargetSelection ParseSelection(string text)
    {
        string[] parts = text.Split(':', 2);
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
            $"--select '{text}' is not valid: use largest, center, id:N (N >= 1), point:X,Y or region:X1,Y1,X2,Y2 (source pixels).");
    }
}
