using System.Globalization;
using Edge.Bench.Appearance;
using Edge.Evaluation;
using OpenCvSharp;

namespace Edge.Bench.FollowMe;

/// <summary><c>truth-sheets &lt;video&gt; &lt;tracks.txt&gt; &lt;out-dir&gt;</c>: contact sheets for reviewing a
/// MOTChallenge result file by eye, the first step of the vtest.avi follow ground truth (docs/follow-me.md). One row
/// per track id, in order of first frame: the id and frame range, then crops at evenly spaced frames of the track
/// (first and last included), each captioned with its frame. A row whose crops show two people is an identity switch;
/// two rows showing one person are fragments to join.</summary>
public static class TruthSheets
{
    private const int CropWidth = 48, CropHeight = 96, Crops = 12, LabelWidth = 96, RowsPerSheet = 8;

    public static int Run(string[] args)
    {
        if (args.Length < 3)
        {
            Console.Error.WriteLine("usage: truth-sheets <video> <tracks.txt> <out-dir> [frame ...]");
            return 2;
        }
        string video = args[0], outDir = args[2];
        Directory.CreateDirectory(outDir);
        if (args.Length > 3)
        {
            return Frames(video, args[1], outDir, [.. args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture))]);
        }
        var tracks = MotChallengeReader.ReadFile(args[1]).Rows.GroupBy(b => b.Id).OrderBy(g => g.Min(b => b.Frame)).ToList();
        var wanted = new Dictionary<int, List<(int Row, int Column, MotRecord Box)>>();
        for (int row = 0; row < tracks.Count; row++)
        {
            var boxes = tracks[row].OrderBy(b => b.Frame).ToList();
            int n = Math.Min(Crops, boxes.Count);
            for (int k = 0; k < n; k++)
            {
                MotRecord b = boxes[n == 1 ? 0 : k * (boxes.Count - 1) / (n - 1)];
                if (!wanted.TryGetValue(b.Frame, out var list))
                {
                    wanted[b.Frame] = list = [];
                }
                list.Add((row, k, b));
            }
        }

        int sheets = (tracks.Count + RowsPerSheet - 1) / RowsPerSheet;
        var pages = Enumerable.Range(0, sheets).Select(_ => new Mat(RowsPerSheet * (CropHeight + 14), LabelWidth + Crops * CropWidth, MatType.CV_8UC3, Scalar.White)).ToArray();
        for (int row = 0; row < tracks.Count; row++)
        {
            int first = tracks[row].Min(b => b.Frame), last = tracks[row].Max(b => b.Frame);
            Text(pages[row / RowsPerSheet], $"id {tracks[row].Key}", 2, Top(row) + 20);
            Text(pages[row / RowsPerSheet], $"{first}-{last}", 2, Top(row) + 44);
            Text(pages[row / RowsPerSheet], $"n {tracks[row].Count()}", 2, Top(row) + 68);
        }
        using var capture = new VideoCapture(video);
        using var frame = new Mat();
        for (int f = 1; capture.Read(frame) && !frame.Empty(); f++)
        {
            if (!wanted.TryGetValue(f, out var list))
            {
                continue;
            }
            foreach (var (row, column, box) in list)
            {
                using var crop = new Mat();
                ReacquisitionStudy.Crop(frame, box.Box, crop, CropWidth, CropHeight);
                if (crop.Empty())
                {
                    continue;
                }
                Mat page = pages[row / RowsPerSheet];
                int x = LabelWidth + column * CropWidth, y = Top(row);
                crop.CopyTo(new Mat(page, new Rect(x, y, CropWidth, CropHeight)));
                Text(page, f.ToString(CultureInfo.InvariantCulture), x + 2, y + CropHeight + 11, 0.35);
            }
        }
        for (int s = 0; s < sheets; s++)
        {
            Cv2.ImWrite(Path.Combine(outDir, $"sheet{s:D2}.png"), pages[s]);
            pages[s].Dispose();
        }
        Console.WriteLine($"{tracks.Count} tracks on {sheets} sheets in {outDir}");
        return 0;
    }

    /// <summary>The given frames whole, every box drawn with its id: where a row is unclear, the scene tells.</summary>
    private static int Frames(string video, string tracksPath, string outDir, int[] frames)
    {
        var byFrame = MotChallengeReader.ReadFile(tracksPath).Rows.ToLookup(r => r.Frame);
        using var capture = new VideoCapture(video);
        using var frame = new Mat();
        for (int f = 1; capture.Read(frame) && !frame.Empty(); f++)
        {
            if (!frames.Contains(f))
            {
                continue;
            }
            foreach (MotRecord r in byFrame[f])
            {
                var color = Scalar.FromRgb((byte)(r.Id * 97 % 256), (byte)(r.Id * 57 % 256), (byte)(255 - r.Id * 37 % 256));
                Cv2.Rectangle(frame, new Rect((int)r.X, (int)r.Y, (int)r.Width, (int)r.Height), color, 2);
                Cv2.PutText(frame, r.Id.ToString(CultureInfo.InvariantCulture), new Point((int)r.X + 2, (int)r.Y + 16), HersheyFonts.HersheySimplex, 0.6, color, 2);
            }
            Cv2.PutText(frame, $"frame {f}", new Point(4, 20), HersheyFonts.HersheySimplex, 0.7, Scalar.Yellow, 2);
            Cv2.ImWrite(Path.Combine(outDir, $"frame{f:D3}.png"), frame);
        }
        return 0;
    }

    private static int Top(int row) => row % RowsPerSheet * (CropHeight + 14);

    private static void Text(Mat page, string text, int x, int y, double scale = 0.5) =>
        Cv2.PutText(page, text, new Point(x, y), HersheyFonts.HersheySimplex, scale, Scalar.Black, 1, LineTypes.AntiAlias);
}
