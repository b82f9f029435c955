using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Edge.Training.Tests;

/// <summary>Runs an ONNX model with ONNX Runtime (the reference the exports must match).</summary>
internal static class OnnxRuntimeRunner
{
    public static (float[] Values, int[] Shape) Run(byte[] model, float[] input, int[] shape, string inputName = "images")
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        return Run(session, input, shape, inputName);
    }

    public static (float[] Values, int[] Shape) Run(InferenceSession session, float[] input, int[] shape, string inputName = "images")
    {
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(inputName, tensor)]);
        var output = results.First().AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }

    public static float[] Floats(TorchSharp.torch.Tensor t) => Edge.Training.Onnx.OnnxModuleExporter.Floats(t);

    /// <summary>Fails naming the side and the first index when a value is NaN or infinite (a NaN makes MaxAbsDiff
    /// itself NaN, which says nothing about where it came from).</summary>
    public static void AssertFinite(ReadOnlySpan<float> values, string side)
    {
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(float.IsFinite(values[i]), $"{side}: value {values[i]} at flat index {i} of {values.Length}");
        }
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }
        return max;
    }
}
