using System.Globalization;
using Edge.Appearance;
using Edge.Geometry;
using Edge.Tracking;
using OpenCvSharp;

namespace Edge.Bench.Appearance;

/// <summary><c>appearance-similarity &lt;video&gt; &lt;detections.jsonl&gt; &lt;osnet-model&gt;</c>: how far apart one
/// person's appearance vectors are and how close two people's are, on real frames, for the colour histogram and the
/// re-id model. The numbers calibrate <c>SimulatedAppearance</c> (docs/follow-me.md, "Appearance
/// on MOT17: a calibrated estimate").
/// <para>Observations: confirmed, matched person tracks (score ≥ 0.5, ≥ <see cref="MinHeight"/> px tall) that no other
/// detection covers by more than 20 % of their area. Same person: one observation of a track and the next one
/// <see cref="SameGapFrames"/> frames later (a clear track is assumed not to change identity within a second; a swap
/// would only make the same-person figures look worse). Different people: every pair of tracks observed in the same
/// frame.</para></summary>
public static class AppearanceSimilarityStudy
{
    private const int MinHeight = 60;
    private const int SameGapFrames = 10;

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: appearance-similarity <video> <detections.jsonl> <osnet model path>");
            return 2;
        }
        var detections = ReacquisitionStudy.LoadDetections(args[1]);
        using var histogram = new ColorHistogramEmbedder();
        using var osnet = new OnnxReidEmbedder(args[2]);
        foreach (IAppearanceEmbedder embedder in new IAppearanceEmbedder[] { histogram, osnet })
        {
            var (same, different) = Measure(args[0], detections, embedder);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{embedder.Name}: AUC {Auc(same, different):0.0000}, different people above the same person's p5 {AboveSameP5(same, different):0.000}; same person {Describe(same)}; different people {Describe(different)}"));
        }
        return 0;
    }

    private static (List<float> Same, List<float> Different) Measure(string video, List<Edge.Detection.Detection>[] detections, IAppearanceEmbedder embedder)
    {
        using var capture = new VideoCapture(video);
        double fps = capture.Fps > 0 ? capture.Fps : 10;
        var tracker = new ByteTracker(TrackerOptions.Default, fps);
        var history = new Dictionary<int, Dictionary<int, float[]>>(); // track id -> frame -> vector
        var same = new List<float>();
        var different = new List<float>();
        using var frame = new Mat();
        for (int f = 0; f < detections.Length && capture.Read(frame) && !frame.Empty(); f++)
        {
            var people = detections[f].Where(d => d.ClassId == 0).ToArray();
            var clear = new List<(int Id, BoxF Box)>();
            foreach (TrackView track in tracker.Update(people, TrackerFrameContext.None))
            {
                if (track.State != TrackState.Confirmed || !track.IsMatched || track.Score < 0.5f || track.Box.Height < MinHeight)
                {
                    continue;
                }
                BoxF box = people[track.DetectionIndex].Box;
                bool covered = people.Where((d, i) => i != track.DetectionIndex).Any(d => box.IntersectionArea(d.Box) > 0.2f * box.Area);
                if (!covered)
                {
                    clear.Add((track.Id, box));
                }
            }
            if (clear.Count == 0)
            {
                continue;
            }
            var rows = new float[clear.Count * embedder.Dimension];
            embedder.Compute(frame, [.. clear.Select(c => c.Box)], rows);
            for (int i = 0; i < clear.Count; i++)
            {
                float[] row = rows.AsSpan(i * embedder.Dimension, embedder.Dimension).ToArray();
                if (!UnitVector.HasSignal(row))
                {
                    continue;
                }
                var byFrame = history.TryGetValue(clear[i].Id, out var h) ? h : history[clear[i].Id] = [];
                byFrame[f] = row;
                if (byFrame.TryGetValue(f - SameGapFrames, out float[]? earlier))
                {
                    same.Add(UnitVector.Dot(earlier, row));
                }
                for (int j = 0; j < i; j++)
                {
                    if (history.TryGetValue(clear[j].Id, out var other) && other.TryGetValue(f, out float[]? otherRow))
                    {
                        different.Add(UnitVector.Dot(otherRow, row));
                    }
                }
            }
        }
        return (same, different);
    }

    /// <summary>The probability that a same-person pair scores above a different-people pair.</summary>
    private static double Auc(List<float> same, List<float> different)
    {
        var d = different.OrderBy(v => v).ToArray();
        double wins = 0;
        foreach (float v in same)
        {
            int below = Array.BinarySearch(d, v);
            below = below < 0 ? ~below : below;
            wins += below;
        }
        return wins / ((double)same.Count * d.Length);
    }

    /// <summary>The share of different-people pairs a threshold keeping 95 % of same-person pairs would let through.</summary>
    private static double AboveSameP5(List<float> same, List<float> different)
    {
        float p5 = Percentile([.. same.Order()], 0.05);
        return different.Count(v => v > p5) / (double)different.Count;
    }

    private static string Describe(List<float> values)
    {
        if (values.Count == 0)
        {
            return "no pairs";
        }
        values.Sort();
        double mean = values.Average();
        double std = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
        float P(double q) => Percentile(values, q);
        return string.Create(CultureInfo.InvariantCulture,
            $"n {values.Count} mean {mean:0.000} sd {std:0.000} p1 {P(0.01):0.000} p5 {P(0.05):0.000} p50 {P(0.5):0.000} p95 {P(0.95):0.000} p99 {P(0.99):0.000}");
    }

    /// <summary>The value at quantile <paramref name="q"/> of sorted values (nearest rank).</summary>
    private static float Percentile(IReadOnlyList<float> sorted, double q) => sorted[(int)Math.Round(q * (sorted.Count - 1))];
}
