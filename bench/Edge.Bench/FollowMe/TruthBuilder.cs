using System.Globalization;
using Edge.Bench.Appearance;
using Edge.Evaluation;
using Edge.Geometry;

namespace Edge.Bench.FollowMe;

/// <summary><c>truth-build &lt;tracks.txt&gt; &lt;detections.jsonl&gt; &lt;labels.csv&gt; &lt;gt.txt&gt;</c>: writes
/// MOT17-form ground truth for a recorded video from a tracker's result file and identity labels made by eye
/// (docs/follow-me.md, "Follow Me on vtest.avi"). Each label line <c>person,track,first,last</c> says that the track's
/// boxes in those frames are that person. Per labelled box the detection it came from (IoU &gt;= 0.5) replaces the
/// tracker's smoothed box; gaps of up to <see cref="MaxGap"/> frames inside a person are interpolated. Everything
/// not labelled stays in as "another person" (consider flag 0): the tracker's other boxes and the confident detections
/// no track holds. Visibility is the fraction of a box not covered by boxes whose bottom edge is lower (nearer the
/// camera), as MOT17 derives it from the people in front.</summary>
public static class TruthBuilder
{
    private const int MaxGap = 10;
    private const float MinOtherScore = 0.5f;

    public static int Run(string[] args)
    {
        if (args.Length < 4)
        {
            Console.Error.WriteLine("usage: truth-build <tracks.txt> <detections.jsonl> <labels.csv> <gt.txt>");
            return 2;
        }
        var tracks = MotChallengeReader.ReadFile(args[0]).Rows;
        var detections = ReacquisitionStudy.LoadDetections(args[1]);
        var labels = File.ReadLines(args[2]).Where(l => l.Length > 0 && l[0] != '#').Select(l =>
        {
            var p = l.Split(',');
            int I(int i) => int.Parse(p[i], CultureInfo.InvariantCulture);
            return (Person: I(0), Track: I(1), First: I(2), Last: I(3));
        }).ToList();

        // (frame, id) -> box and whether it is a labelled person.
        var boxes = new SortedDictionary<(int Frame, int Id), (BoxF Box, bool Labelled)>();
        var held = new HashSet<(int Frame, int Detection)>();
        foreach (MotRecord r in tracks)
        {
            BoxF box = r.Box;
            int d = BestDetection(detections, r.Frame, box);
            if (d >= 0)
            {
                held.Add((r.Frame, d));
                box = detections[r.Frame - 1][d].Box;
            }
            var label = labels.FirstOrDefault(l => l.Track == r.Id && r.Frame >= l.First && r.Frame <= l.Last);
            boxes[label.Person > 0 ? (r.Frame, label.Person) : (r.Frame, 1000 + r.Id)] = (box, label.Person > 0);
        }
        foreach (var person in labels.Select(l => l.Person).Distinct())
        {
            var frames = boxes.Where(kv => kv.Key.Id == person).Select(kv => (kv.Key.Frame, kv.Value.Box)).ToList();
            for (int i = 1; i < frames.Count; i++)
            {
                var (f0, b0) = frames[i - 1];
                var (f1, b1) = frames[i];
                for (int f = f0 + 1; f1 - f0 <= MaxGap && f < f1; f++)
                {
                    float t = (float)(f - f0) / (f1 - f0);
                    boxes[(f, person)] = (new BoxF(Lerp(b0.X1, b1.X1, t), Lerp(b0.Y1, b1.Y1, t), Lerp(b0.X2, b1.X2, t), Lerp(b0.Y2, b1.Y2, t)), true);
                }
            }
        }
        int others = 100000;
        for (int f = 1; f <= detections.Length; f++)
        {
            var list = detections[f - 1];
            for (int d = 0; d < list.Count; d++)
            {
                if (list[d].Score >= MinOtherScore && !held.Contains((f, d)))
                {
                    boxes[(f, others++)] = (list[d].Box, false);
                }
            }
        }

        using var writer = new StreamWriter(args[3]);
        foreach (var frame in boxes.GroupBy(kv => kv.Key.Frame))
        {
            var all = frame.Select(kv => kv.Value.Box).ToArray();
            foreach (var ((f, id), (box, labelled)) in frame)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{f},{id},{box.X1:0.##},{box.Y1:0.##},{box.Width:0.##},{box.Height:0.##},{(labelled ? 1 : 0)},1,{Visibility(box, all):0.###}"));
            }
        }
        Console.WriteLine($"{labels.Select(l => l.Person).Distinct().Count()} labelled people, {boxes.Count} boxes in {args[3]}");
        return 0;
    }

    private static int BestDetection(List<Edge.Detection.Detection>[] detections, int frame, BoxF box)
    {
        int best = -1;
        float bestIoU = 0.5f;
        if (frame > detections.Length)
        {
            return best;
        }
        var list = detections[frame - 1];
        for (int d = 0; d < list.Count; d++)
        {
            float iou = list[d].Box.IoU(box);
            if (iou >= bestIoU)
            {
                (best, bestIoU) = (d, iou);
            }
        }
        return best;
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    /// <summary>Fraction of a 16 x 32 grid over the box that no box with a lower bottom edge covers.</summary>
    private static float Visibility(BoxF box, BoxF[] all)
    {
        int visible = 0;
        for (int i = 0; i < 16; i++)
        {
            for (int j = 0; j < 32; j++)
            {
                float x = box.X1 + ((i + 0.5f) * box.Width / 16), y = box.Y1 + ((j + 0.5f) * box.Height / 32);
                bool covered = false;
                foreach (BoxF other in all)
                {
                    covered |= other.Y2 > box.Y2 && x >= other.X1 && x < other.X2 && y >= other.Y1 && y < other.Y2;
                }
                visible += covered ? 0 : 1;
            }
        }
        return visible / 512f;
    }
}
