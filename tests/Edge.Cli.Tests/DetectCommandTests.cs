using System.Text.Json;
using OpenCvSharp;

namespace Edge.Tests;

/// <summary>Runs <c>edge detect</c> in process through the same root command and error handling as the executable.
/// Console redirection is process-wide, so these tests do not run in parallel with each other.</summary>
[Collection(InProcessCli.Name)]
public class DetectCommandTests
{
    /// <summary>The README quick start on all of vtest.avi with yolov8n_w8dq (several minutes on 2 cores), with the
    /// detections also written as a MOTChallenge det.txt.</summary>
    [Fact]
    public async Task DetectOverVtestWritesOneJsonLinePerFrameAnAnnotatedVideoAndAMotDetectionFile()
    {
        string video = TestData.VideoPath;
        TestData.Model("yolov8n_w8dq.onnx");
        string dir = TestData.NewTempDir("detect");
        string jsonl = Path.Combine(dir, "runs", "vtest.jsonl");
        string mp4 = Path.Combine(dir, "runs", "vtest.mp4");
        string det = Path.Combine(dir, "runs", "det.txt");
        Environment.SetEnvironmentVariable("EDGE_MODELS_DIR", TestData.ModelsDir);

        var (exit, stdout, stderr) = await InProcessCli.RunAsync("detect", "--source", video, "--out", jsonl, "--video", mp4, "--mot", det);

        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        string[] lines = File.ReadAllLines(jsonl);
        Assert.Equal(795, lines.Length); // vtest.avi has 795 frames (OpenCV sample; VideoSmokeTests)
        int withPeople = 0;
        var motRows = Edge.Evaluation.MotChallengeReader.ReadFile(det).Rows.ToLookup(r => r.Frame);
        for (int i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var root = doc.RootElement;
            // det.txt: the same detections in the same order, 1-based frames, id -1, x,y,w,h (MOTChallenge).
            var detections = root.GetProperty("detections").EnumerateArray().ToArray();
            var rows = motRows[i + 1].ToArray();
            Assert.Equal(detections.Length, rows.Length);
            for (int k = 0; k < rows.Length; k++)
            {
                var box = detections[k].GetProperty("box").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(-1, rows[k].Id);
                Assert.Equal(box[0], rows[k].X, 0.011);
                Assert.Equal(box[3] - box[1], rows[k].Height, 0.011);
                Assert.Equal(detections[k].GetProperty("score").GetDouble(), rows[k].Confidence, 0.0006);
            }
            Assert.Equal(i, root.GetProperty("frame").GetInt32());
            Assert.Equal(i / 10.0, root.GetProperty("t").GetDouble(), 6); // 10 fps
            bool person = false;
            foreach (var d in root.GetProperty("detections").EnumerateArray())
            {
                var box = d.GetProperty("box").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                Assert.Equal(4, box.Length);
                Assert.True(box[0] < box[2] && box[1] < box[3], lines[i]);
                Assert.InRange(d.GetProperty("score").GetDouble(), 0.25, 1.0);
                person |= d.GetProperty("name").GetString() == "person" && d.GetProperty("score").GetDouble() > 0.4;
            }
            withPeople += person ? 1 : 0;
        }
        // The plaza has people in view throughout (models README: 3 at frame 0, 7 at frame 200, 3 at frame 400).
        Assert.True(withPeople > 780, $"only {withPeople} frames with a person");
        using (var frame0 = JsonDocument.Parse(lines[0]))
        {
            int persons = frame0.RootElement.GetProperty("detections").EnumerateArray()
                .Count(d => d.GetProperty("class").GetInt32() == 0 && d.GetProperty("score").GetDouble() > 0.4);
            Assert.Equal(3, persons);
        }

        using var capture = new VideoCapture(mp4);
        Assert.True(capture.IsOpened(), mp4);
        Assert.Equal(768, capture.FrameWidth);
        Assert.Equal(576, capture.FrameHeight);
        int read = 0;
        using var m = new Mat();
        while (capture.Read(m) && !m.Empty())
        {
            read++;
        }
        Assert.Equal(795, read);
        Assert.Contains("795 frames", stdout);
        Assert.Contains("inference", stdout);
        // Piped output keeps the run header on one line (Spectre would wrap it at 80 columns).
        Assert.Contains("795 frames | model yolov8n_w8dq (640x640, CPU)", stdout);
    }

    [Fact]
    public async Task MissingSourceIsOneLineNamingThePath()
    {
        string dir = TestData.NewTempDir("detect");
        string missing = Path.Combine(dir, "nope.avi");
        var (exit, _, stderr) = await InProcessCli.RunAsync("detect", "--source", missing, "--out", Path.Combine(dir, "d.jsonl"));
        Assert.Equal(1, exit);
        Assert.Equal($"edge: cannot open video '{missing}': file not found", stderr.TrimEnd());
        Assert.False(File.Exists(Path.Combine(dir, "d.jsonl")));
    }

    [Fact]
    public async Task UnknownModelIsOneLineError()
    {
        string dir = TestData.NewTempDir("detect");
        var (exit, _, stderr) = await InProcessCli.RunAsync("detect", "--source", TestData.VideoPath, "--model", "no_such_model", "--out", Path.Combine(dir, "d.jsonl"));
        Assert.Equal(1, exit);
        // ModelResolver (detect branch) lists the searched folders on the following lines; the first line says what failed.
        string line = stderr.Split('\n')[0];
        Assert.StartsWith("edge: ", line);
        Assert.Contains("no_such_model", line);
    }

    [Fact]
    public async Task BadThresholdIsRejectedBeforeLoading()
    {
        var (exit, _, stderr) = await InProcessCli.RunAsync("detect", "--source", TestData.VideoPath, "--conf", "1.5", "--out", "x.jsonl");
        Assert.Equal(1, exit);
        Assert.Equal("edge: --conf must be in [0, 1); got 1.5", stderr.TrimEnd());

        var (threads, _, threadsError) = await InProcessCli.RunAsync("detect", "--source", TestData.VideoPath, "--threads", "-3", "--out", "x.jsonl");
        Assert.Equal(1, threads);
        Assert.Equal("edge: --threads must be 0 (one per core) or positive; got -3", threadsError.TrimEnd());
    }

    [Fact]
    public async Task AClassTheModelDoesNotKnowIsNamedWithTheOptionAndTheModelsClasses()
    {
        string dir = TestData.NewTempDir("detect");
        var (exit, _, stderr) = await InProcessCli.RunAsync("detect", "--source", TestData.VideoPath, "--classes", "nosuchclass", "--out", Path.Combine(dir, "d.jsonl"));
        Assert.Equal(1, exit);
        Assert.StartsWith("edge: class 'nosuchclass' (--classes, Edge:Detector:Classes) is not one model 'yolov8n_w8dq' knows; its classes are 0..79: person, bicycle,", stderr);
    }

    [Fact]
    public async Task AVideoOpenCvCannotWriteIsNamedWithItsCodec()
    {
        // A folder where the video should go: OpenCV's writer does not open, and the message names the codec.
        string dir = TestData.NewTempDir("detect");
        string video = Path.Combine(dir, "dd.mp4");
        Directory.CreateDirectory(video);

        var (exit, _, stderr) = await InProcessCli.RunAsync("detect", "--source", TestData.VideoPath, "--out", Path.Combine(dir, "d.jsonl"),
            "--video", video, "--max-frames", "1");

        Assert.Equal(1, exit);
        Assert.Equal($"edge: cannot write video '{video}': OpenCV could not open a mp4v writer for it", stderr.TrimEnd());
    }
}
