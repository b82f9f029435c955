using Microsoft.ML.OnnxRuntime;

namespace Edge.Appearance;

/// <summary>Creates ONNX Runtime CPU sessions for the small per-crop models (re-id, secondary classifiers).</summary>
internal static class CropModelSession
{
    public static InferenceSession Open(string path, int intraOpThreads)
    {
        using var so = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        // OSNet x0.25 holds 751 subnormal weights; flushing them to zero gives bit-identical outputs and is about
        // 3x faster on x86 (models README, "Speed": 9 ms -> 3 ms per crop).
        so.AddSessionConfigEntry("session.set_denormal_as_zero", "1");
        // Spinning threads would steal the detector's cores between the short crop runs.
        so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (intraOpThreads > 0)
        {
            so.IntraOpNumThreads = intraOpThreads;
        }
        try
        {
            return new InferenceSession(path, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new EdgeException($"Crop model '{path}' could not be loaded by ONNX Runtime: {ex.Message}", ex);
        }
    }

    /// <summary>The model's single float input and output names, and the input's fixed [C, H, W] when declared.</summary>
    public static (string Input, string Output, int Channels, int Height, int Width, int OutputLength) Describe(InferenceSession session, string path)
    {
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
        {
            throw new EdgeException($"Crop model '{path}': expected one input and an output, found {session.InputMetadata.Count} inputs and {session.OutputMetadata.Count} outputs.");
        }
        var (inputName, input) = session.InputMetadata.First();
        var (outputName, output) = session.OutputMetadata.First();
        int[] d = input.Dimensions;
        int[] o = output.Dimensions;
        if (d.Length != 4 || o.Length != 2 || o[1] <= 0)
        {
            throw new EdgeException($"Crop model '{path}': expected input [N,C,H,W] and output [N,K], found [{string.Join(",", d)}] and [{string.Join(",", o)}].");
        }
        return (inputName, outputName, d[1], d[2], d[3], o[1]);
    }
}
