using System.Globalization;
using System.Text.Json;
using Edge.Appearance;
using Edge.Capture;
using Edge.FollowMe;
using Edge.Geometry;
using Edge.Pipeline;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Bench.Appearance;

/// <summary><c>reacquire &lt;video&gt; &lt;detections.jsonl&gt; &lt;out-dir&gt; [osnet-model]</c>: the Follow Me
/// re-acquisition study of docs/follow-me.md. Replays the detections of <c>edge detect --out</c> with the video's
/// frames through the tracking and Follow Me analyzers, once with the colour histogram and once with the re-id
/// model, for a few targets selected by a point at a start frame. Every re-acquisition (the lock moving to another
/// track id after the tracker lost the target) is written as one image: the target's last locked crop beside the
/// re-acquired crop, for labelling by eye, and listed in <c>events.csv</c>.</summary>
public static class ReacquisitionStudy
{
    /// <summary>Targets: at each of these start frames, every detection at least <see cref="MinHeight"/> px tall
    /// with score ≥ 0.5 (at most <see cref="PerFrame"/>, tallest first), selected by its box centre; each run lasts
    /// at most <see cref="MaxFrames"/> frames or until the lock gives up.</summary>
    private static readonly int[] StartFrames = [0, 150, 300, 450, 600];
    private const int MinHeight = 60;
    private const int PerFrame = 4;
    private const int MaxFrames = 200;

    private static IEnumerable<(string Name, int Frame, float X, float Y)> Targets(List<Edge.Detection.Detection>[] detections)
    {
        foreach (int f in StartFrames.Where(f => f < detections.Length))
        {
            int k = 0;
            foreach (var d in detections[f].Where(d => d.ClassId == 0 && d.Score >= 0.5f && d.Box.Height >= MinHeight)
                         .OrderByDescending(d => d.Box.Height).Take(PerFrame))
            {
                yield return ($"f{f}p{k++}", f, d.Box.CenterX, d.Box.CenterY);
            }
        }
    }

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: reacquire <video> <detections.jsonl> <out-dir> [osnet model path]");
            return 2;
        }
        string video = args[0], detectionsPath = args[1], outDir = args[2];
        string? osnet = args.Length > 3 ? args[3] : null;
        Directory.CreateDirectory(outDir);
        var detections = LoadDetections(detectionsPath);
        using var events = new StreamWriter(Path.Combine(outDir, "events.csv"));
        events.WriteLine("target,config,start,x,y,kind,frame,from_id,to_id,gap_frames,image");
        // Both configurations per target before the next target, so a partial run still gives pairs.
        foreach (var target in Targets(detections))
        {
            foreach (var config in osnet is null ? new[] { "histogram" } : ["histogram", "osnet"])
            {
                RunOne(video, detections, outDir, config, osnet, target, events);
            }
        }
        return 0;
    }

    internal static List<Edge.Detection.Detection>[] LoadDetections(string path)
    {
        var frames = new List<List<Edge.Detection.Detection>>();
        foreach (string line in File.ReadLines(path))
        {
            using var doc = JsonDocument.Parse(line);
            var list = new List<Edge.Detection.Detection>();
            foreach (var d in doc.RootElement.GetProperty("detections").EnumerateArray())
            {
                var b = d.GetProperty("box");
                list.Add(new Edge.Detection.Detection(
                    new BoxF(b[0].GetSingle(), b[1].GetSingle(), b[2].GetSingle(), b[3].GetSingle()),
                    d.GetProperty("score").GetSingle(), d.GetProperty("class").GetInt32()));
            }
            frames.Add(list);
        }
        return [.. frames];
    }

    private static void RunOne(string video, List<Edge.Detection.Detection>[] detections, string outDir, string config,
        string? osnet, (string Name, int Frame, float X, float Y) target, StreamWriter events)
    {
        using var capture = new VideoCapture(video);
        capture.Set(VideoCaptureProperties.PosFrames, target.Frame);
        double fps = capture.Fps > 0 ? capture.Fps : 10;
        TrackingAnalyzer tracking;
        var followOptions = new FollowOptions { FrameRate = (float)fps };
        if (config == "osnet")
        {
            var trackerOptions = CropModelFactory.ForReid(TrackerOptions.Default);
            tracking = new TrackingAnalyzer(new ByteTracker(trackerOptions, fps), trackerOptions.CameraMotionCompensation,
                new OnnxReidEmbedder(osnet!), new EmbeddingScheduleOptions(), [0]);
            followOptions = CropModelFactory.ForReid(followOptions);
        }
        else
        {
            tracking = new TrackingAnalyzer(new ByteTracker(TrackerOptions.Default, fps), TrackerOptions.Default.CameraMotionCompensation, appearance: true);
        }
        using var _ = tracking;
        // Without a point, follow the largest person at the start frame.
        var selection = target.X < 0 ? TargetSelection.LargestPerson() : TargetSelection.AtPoint(target.X, target.Y);
        var follow = new FollowAnalyzer(followOptions, FollowAnalyzer.DefaultSteering(SteeringMode.PanTilt), selection);
        if (config == "osnet")
        {
            tracking.Demand = follow.Demand = new AppearanceDemand();
        }
        var result = new FrameResult();
        using var frame = new Mat();
        using var lastLockedCrop = new Mat();
        int lastId = -1, lastLockedFrame = -1;
        bool searching = false;
        string head = string.Create(CultureInfo.InvariantCulture, $"{target.Name},{config},{target.Frame},{target.X:0},{target.Y:0}");
        int[] counts = new int[4]; // same id, new id, lost, never locked
        for (int f = target.Frame; f < detections.Length && f < target.Frame + MaxFrames && capture.Read(frame) && !frame.Empty(); f++)
        {
            result.Begin(new FrameStamp(f, f / fps), frame.Width, frame.Height);
            result.Detections.AddRange(detections[f]);
            tracking.Analyze(result, frame);
            follow.Analyze(result, frame);
            var c = follow.Last;
            if (c.State == FollowState.Locked)
            {
                if (lastId > 0 && c.TrackId != lastId)
                {
                    // The lock moved to another track: a re-acquisition to label by eye.
                    string image = $"{target.Name}_{config}_{f:D3}.png";
                    SavePair(lastLockedCrop, frame, c.Box, Path.Combine(outDir, image));
                    events.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{head},new-id,{f},{lastId},{c.TrackId},{f - lastLockedFrame},{image}"));
                    counts[1]++;
                }
                else if (searching)
                {
                    events.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{head},same-id,{f},{lastId},{c.TrackId},{f - lastLockedFrame},"));
                    counts[0]++;
                }
                searching = false;
                lastId = c.TrackId;
                lastLockedFrame = f;
                Crop(frame, c.Box, lastLockedCrop);
            }
            else if (c.State == FollowState.Searching)
            {
                searching = true;
            }
            else if (lastId > 0)
            {
                events.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{head},lost,{f},{lastId},,{f - lastLockedFrame},"));
                counts[2]++;
                break;
            }
        }
        if (lastId < 0)
        {
            counts[3]++;
        }
        events.Flush();
        Console.WriteLine($"{head}: recovered by the tracker {counts[0]}, re-acquired on a new id {counts[1]}, lost {counts[2]}{(counts[3] > 0 ? ", never locked" : "")}");
    }

    /// <summary>The box's pixels, clipped to the frame, resized into <paramref name="into"/>; left untouched when
    /// less than 2 px of the box lie inside the frame.</summary>
    internal static void Crop(Mat frame, BoxF box, Mat into, int width = 64, int height = 128)
    {
        var r = new Rect((int)box.X1, (int)box.Y1, (int)box.Width, (int)box.Height).Intersect(new Rect(0, 0, frame.Width, frame.Height));
        if (r.Width < 2 || r.Height < 2)
        {
            return;
        }
        using var roi = new Mat(frame, r);
        Cv2.Resize(roi, into, new Size(width, height));
    }

    private static void SavePair(Mat before, Mat frame, BoxF box, string path)
    {
        using var after = new Mat();
        Crop(frame, box, after);
        if (before.Empty() || after.Empty())
        {
            return;
        }
        using var pair = new Mat();
        Cv2.HConcat([before, after], pair);
        using var big = new Mat();
        Cv2.Resize(pair, big, new Size(256, 256), 0, 0, InterpolationFlags.Nearest);
        Cv2.ImWrite(path, big);
    }
}
