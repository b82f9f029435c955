using System.Security.Cryptography;
using Edge.Models;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Tests.ModelTests;

public class ModelMetadataTests
{
    [Fact]
    public void ParsesPythonDictNames()
    {
        IReadOnlyList<string>? names = UltralyticsMetadata.ParseNames("{0: 'person', 1: \"traffic light\", 2: 'it\\'s'}");
        Assert.Equal(["person", "traffic light", "it's"], names);
        Assert.Null(UltralyticsMetadata.ParseNames("{1: 'a'}")); // keys must start at 0
        Assert.Null(UltralyticsMetadata.ParseNames("['a', 'b']"));
    }

    [Fact]
    public void ParsesImgszAsHeightWidth()
    {
        var m = UltralyticsMetadata.Parse(new Dictionary<string, string>
        {
            ["imgsz"] = "[384, 640]",
            ["stride"] = "32",
            ["task"] = "detect",
            ["end2end"] = "True",
        });
        Assert.Equal((384, 640, 32, true), (m.InputHeight!.Value, m.InputWidth!.Value, m.Stride!.Value, m.EndToEnd!.Value));
    }

    [Fact]
    public void ReadsTheRealYolov8Metadata()
    {
        string path = TestData.Model("yolov8n_w8dq.onnx");
        using var session = new InferenceSession(path);
        var meta = UltralyticsMetadata.Parse(session.ModelMetadata.CustomMetadataMap);

        // Values from /work/shared/models/README.md "Metadata found".
        Assert.True(meta.IsUltralytics);
        Assert.Equal(80, meta.Names!.Count);
        Assert.Equal("person", meta.Names[0]);
        Assert.Equal("toothbrush", meta.Names[79]);
        Assert.Equal((640, 640, 32, "detect"), (meta.InputWidth!.Value, meta.InputHeight!.Value, meta.Stride!.Value, meta.Task));
        Assert.False(meta.EndToEnd);

        DetectorModel model = DetectorModelReader.Read(session, path, manifest: null);
        Assert.Equal(DetectorLayout.UltralyticsV8, model.Info.Layout);
        Assert.Equal(PixelFormat.Rgb01Centered, model.Info.Pixels);
        Assert.Equal((640, 640, 1, 80, 8400), (model.Info.InputWidth, model.Info.InputHeight, model.Info.BatchSize, model.Info.NumClasses, model.Layout.NumRows));
        Assert.Equal(("images", "output0"), (model.InputName, model.OutputName));
    }

    [Fact]
    public void YoloxWithoutMetadataFallsBackToShapesAndCocoNames()
    {
        string path = TestData.Model("yolox_nano.onnx");
        using var session = new InferenceSession(path);
        Assert.Empty(session.ModelMetadata.CustomMetadataMap);

        DetectorModel model = DetectorModelReader.Read(session, path, manifest: null);
        Assert.Equal(DetectorLayout.YoloXGrid, model.Info.Layout);
        Assert.Equal(PixelFormat.Bgr255TopLeft, model.Info.Pixels);
        Assert.Equal(416, model.Info.InputWidth);
        Assert.Equal("person", model.Info.ClassNames[0]);
        Assert.Equal(80, model.Info.NumClasses);
    }

    [Fact]
    public void ManifestDescribesEverySharedModelExactly()
    {
        var manifest = ModelManifest.Load(Path.Combine(TestData.RepoRoot, "models", ModelManifest.FileName));
        string[] shared = [.. Directory.GetFiles(TestData.ModelsDir, "*.onnx").Select(Path.GetFileName).Order()!];
        Assert.Equal(shared, manifest.Models.Select(m => m.File).Order());
        foreach (ModelManifestEntry m in manifest.Models)
        {
            string path = TestData.Model(m.File);
            Assert.Equal(m.Size, new FileInfo(path).Length);
            using FileStream s = File.OpenRead(path);
            Assert.Equal(m.Sha256, Convert.ToHexStringLower(SHA256.HashData(s)));
            Assert.True(m.Url is not null || m.DerivedFrom is not null, $"{m.File} has neither url nor derivedFrom");
            if (m.Url is not null)
            {
                Assert.StartsWith("https://raw.githubusercontent.com/", m.Url);
            }
        }
        Assert.Equal(DetectorLayout.YoloXGrid, manifest.Find(TestData.Model("yolox_nano.onnx"))!.Layout);
    }
}
