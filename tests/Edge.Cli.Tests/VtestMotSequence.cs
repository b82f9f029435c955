using Edge.Evaluation;
using OpenCvSharp;

namespace Edge.Tests;

/// <summary>vtest.avi as a MOTChallenge sequence with images: <c>img1/</c> (every frame as a JPEG, as MOT17 ships
/// them), the committed Follow Me ground truth labelled by eye and the detections it was built from
/// (bench/data/vtest-follow/gt.txt and det.txt, docs/follow-me.md "Follow Me on vtest.avi"). Written once per test
/// run into a temporary folder.</summary>
internal static class VtestMotSequence
{
    private static readonly Lazy<string> Folder = new(Create);

    /// <summary>The folder that holds the one sequence, <c>vtest/</c>.</summary>
    public static string Root => Folder.Value;

    private static string Create()
    {
        string data = Path.Combine(TestData.RepoRoot, "bench", "data", "vtest-follow");
        string root = TestData.NewTempDir("vtest-mot");
        string sequence = Path.Combine(root, "vtest");
        string images = Path.Combine(sequence, "img1");
        Directory.CreateDirectory(images);
        using var capture = new VideoCapture(TestData.VideoPath);
        using var frame = new Mat();
        int frames = 0, width = 0, height = 0;
        while (capture.Read(frame) && !frame.Empty())
        {
            (width, height) = (frame.Width, frame.Height);
            Cv2.ImWrite(Path.Combine(images, $"{++frames:D6}.jpg"), frame, new ImageEncodingParam(ImwriteFlags.JpegQuality, 95));
        }
        new SequenceInfo("vtest", frames, capture.Fps, width, height).WriteFile(Path.Combine(sequence, "seqinfo.ini"));
        foreach (string part in new[] { "gt", "det" })
        {
            Directory.CreateDirectory(Path.Combine(sequence, part));
            File.Copy(TestData.Require(Path.Combine(data, part + ".txt")), Path.Combine(sequence, part, part + ".txt"));
        }
        return root;
    }
}
