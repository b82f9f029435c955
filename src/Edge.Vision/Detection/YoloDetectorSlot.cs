using Edge.Models;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Detection;

/// <summary>One in-flight inference for <see cref="YoloDetector"/>: pinned input/output tensors bound once to an
/// <see cref="OrtIoBinding"/>, a preprocessor, and the decode/NMS scratch, so a frame allocates nothing.</summary>
public sealed class YoloDetectorSlot : DetectorSlot
{
    private bool _disposed;

    internal YoloDetectorSlot(YoloDetector owner, InferenceSession session, DetectorModel model, IDetectionDecoder decoder, int batchSize, int maxDetections)
    {
        Owner = owner;
        Decoder = decoder;
        BatchSize = batchSize;
        ModelInfo info = model.Info;
        Preprocessor = new LetterboxPreprocessor(info.InputWidth, info.InputHeight, info.Pixels);
        ImageLength = Preprocessor.TensorLength;
        OutputLength = decoder.OutputLength;
        Input = new float[batchSize * ImageLength];
        Output = new float[batchSize * OutputLength];
        Transforms = new LetterboxTransform[batchSize];
        Candidates = new DetectionBuffer(decoder.MaxCandidates);
        SortScratch = new long[decoder.MaxCandidates];
        Keep = new int[maxDetections];

        // CreateTensorValueFromMemory pins the arrays for the OrtValue's lifetime; ORT reads and writes them in place.
        InputValue = OrtValue.CreateTensorValueFromMemory(Input, [batchSize, 3, info.InputHeight, info.InputWidth]);
        long rows = model.Layout.Layout == DetectorLayout.UltralyticsV8 ? 4 + model.Layout.NumClasses : model.Layout.NumRows;
        long cols = model.Layout.Layout == DetectorLayout.UltralyticsV8 ? model.Layout.NumRows : OutputLength / model.Layout.NumRows;
        OutputValue = OrtValue.CreateTensorValueFromMemory(Output, [batchSize, rows, cols]);
        Binding = session.CreateIoBinding();
        Binding.BindInput(model.InputName, InputValue);
        Binding.BindOutput(model.OutputName, OutputValue);
    }

    internal YoloDetector Owner { get; }
    internal IDetectionDecoder Decoder { get; }
    public int BatchSize { get; }

    /// <summary>Images preprocessed into this slot since the last reset (postprocess reads this many).</summary>
    public int Count { get; internal set; }

    internal int ImageLength { get; }
    internal int OutputLength { get; }
    internal float[] Input { get; }
    internal float[] Output { get; }
    internal LetterboxTransform[] Transforms { get; }
    internal LetterboxPreprocessor Preprocessor { get; }
    internal DetectionBuffer Candidates { get; }
    internal long[] SortScratch { get; }
    internal int[] Keep { get; }
    internal OrtValue InputValue { get; }
    internal OrtValue OutputValue { get; }
    internal OrtIoBinding Binding { get; }

    /// <summary>The letterbox used for image <paramref name="index"/> (to map other input-space results back).</summary>
    public LetterboxTransform Transform(int index) => Transforms[index];

    public override void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Binding.Dispose();
        InputValue.Dispose();
        OutputValue.Dispose();
    }
}
