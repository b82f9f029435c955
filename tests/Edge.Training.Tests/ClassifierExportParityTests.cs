using Edge.Training.Models;
using Edge.Training.Native;
using Edge.Training.Onnx;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Edge.Training.Tests;

public sealed class ClassifierExportParityTests
{
    private static readonly string[] Digits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

    [Theory]
    [InlineData(ClassifierArchitecture.SmallCnn, 1, 20)]
    [InlineData(ClassifierArchitecture.ResNet, 3, 32)]
    public void Onnx_runtime_matches_torchsharp_on_random_inputs(ClassifierArchitecture arch, int channels, int size)
    {
        TorchRuntime.Initialize(threads: 1);
        manual_seed(7);
        var spec = new ClassifierSpec(arch, channels, size, Digits, Width: 8);
        using var model = ClassifierFactory.Create(spec);
        // Non-trivial BatchNorm statistics: a few training-mode passes move running mean/var away from 0/1,
        // so a wrong fold would show.
        model.train();
        using (no_grad())
        {
            for (int i = 0; i < 3; i++)
            {
                using var warm = randn(8, channels, size, size) * 2 + 0.5;
                model.forward(warm).Dispose();
            }
        }
        model.eval();
        using var x = rand(4, channels, size, size);
        float[] expected;
        using (no_grad())
        {
            using var probs = nn.functional.softmax(model.forward(x), 1);
            expected = probs.data<float>().ToArray();
        }

        byte[] onnx = ClassifierOnnxExporter.ToBytes(model, spec);
        var (actual, shape) = OnnxRuntimeRunner.Run(onnx, x.data<float>().ToArray(), [4, channels, size, size]);

        Assert.Equal([4, 10], shape);
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(expected, actual) < 1e-4f, $"max abs diff {OnnxRuntimeRunner.MaxAbsDiff(expected, actual)}");
    }

    [Fact]
    public void Export_carries_the_metadata_the_edge_service_reads()
    {
        TorchRuntime.Initialize(threads: 1);
        var spec = new ClassifierSpec(ClassifierArchitecture.SmallCnn, 1, 20, Digits, Width: 4);
        using var model = ClassifierFactory.Create(spec);
        using var session = new InferenceSession(ClassifierOnnxExporter.ToBytes(model, spec));
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("classify", meta["task"]);
        Assert.Equal("[20, 20]", meta["imgsz"]);
        Assert.StartsWith("{0: '0', 1: '1',", meta["names"]);
        Assert.Equal("images", session.InputMetadata.Keys.Single());
        Assert.Equal("output0", session.OutputMetadata.Keys.Single());
    }

    [Fact]
    public void Fp16_export_stays_close_to_fp32()
    {
        TorchRuntime.Initialize(threads: 1);
        manual_seed(3);
        var spec = new ClassifierSpec(ClassifierArchitecture.SmallCnn, 1, 20, Digits, Width: 8);
        using var model = ClassifierFactory.Create(spec);
        using var x = rand(2, 1, 20, 20);
        float[] input = x.data<float>().ToArray();
        var (fp32, _) = OnnxRuntimeRunner.Run(ClassifierOnnxExporter.ToBytes(model, spec), input, [2, 1, 20, 20]);
        byte[] halfModel = ClassifierOnnxExporter.ToBytes(model, spec, OnnxPrecision.Float16);
        var (fp16, _) = OnnxRuntimeRunner.Run(halfModel, input, [2, 1, 20, 20]);
        // float16 has a 10-bit mantissa (relative step 2^-10 ≈ 1e-3); probabilities in [0,1] stay within a few 1e-3.
        Assert.True(OnnxRuntimeRunner.MaxAbsDiff(fp32, fp16) < 5e-3f, $"max abs diff {OnnxRuntimeRunner.MaxAbsDiff(fp32, fp16)}");
        Assert.True(halfModel.Length < ClassifierOnnxExporter.ToBytes(model, spec).Length * 0.6);
    }
}
