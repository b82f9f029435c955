using Edge.Geometry;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>Runs an ONNX model with input [N, C, H, W] and output [N, K] on crops of one frame, batched: the
/// usable crops are packed into one pooled input buffer (up to <see cref="MaxBatch"/> per run) and each crop's
/// output row is written back to its box's slot; boxes without a usable crop get a zero row. Input and output
/// buffers are allocated once at the maximum batch and pinned by ORT for the runner's lifetime.</summary>
public sealed class CropModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly CropBatcher _batcher;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly int[] _slots;

    public CropModelRunner(string path, Func<int, int, int, CropLayout> layoutFor, int maxBatch = 16, int intraOpThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(layoutFor);
        if (maxBatch < 1)
        {
            throw new EdgeException($"CropModelRunner: maxBatch {maxBatch} must be at least 1.");
        }
        Path = path;
        _session = CropModelSession.Open(path, intraOpThreads);
        try
        {
            var (input, output, c, h, w, k) = CropModelSession.Describe(_session, path);
            Layout = layoutFor(c, h, w);
            if ((c > 0 && c != Layout.Channels) || (h > 0 && h != Layout.Height) || (w > 0 && w != Layout.Width))
            {
                throw new EdgeException($"Crop model '{path}': input [N,{c},{h},{w}] does not fit crops {Layout.Channels}x{Layout.Height}x{Layout.Width}.");
            }
            _batcher = new CropBatcher(Layout);
            MaxBatch = maxBatch;
            OutputLength = k;
            Metadata = _session.ModelMetadata.CustomMetadataMap;
            _inputNames = [input];
            _outputNames = [output];
            _input = new float[maxBatch * Layout.Length];
            _output = new float[maxBatch * k];
            // One pinned OrtValue pair per batch size, created on first use.
            _inputValues = new OrtValue[maxBatch + 1];
            _outputValues = new OrtValue[maxBatch + 1];
            _slots = new int[maxBatch];
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public CropLayout Layout { get; }

    public int MaxBatch { get; }

    /// <summary>K, the length of one output row.</summary>
    public int OutputLength { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Crops run through the model so far.</summary>
    public long Crops { get; private set; }

    /// <summary>Writes one output row per box into <paramref name="output"/> (boxes × <see cref="OutputLength"/>)
    /// and returns how many boxes had a usable crop; the other rows are zero and <paramref name="valid"/> (when not
    /// empty) tells which.</summary>
    public int Run(Mat frameBgr, ReadOnlySpan<BoxF> boxes, Span<float> output, Span<bool> valid = default)
    {
        int k = OutputLength;
        if (output.Length < boxes.Length * k || (!valid.IsEmpty && valid.Length < boxes.Length))
        {
            throw new EdgeException($"CropModelRunner: output of {output.Length} floats for {boxes.Length} boxes x {k}.");
        }
        int len = Layout.Length, filled = 0, usable = 0;
        for (int b = 0; b < boxes.Length; b++)
        {
            bool ok = _batcher.Write(frameBgr, boxes[b], _input.AsSpan(filled * len, len));
            if (!valid.IsEmpty)
            {
                valid[b] = ok;
            }
            if (!ok)
            {
                output.Slice(b * k, k).Clear();
                continue;
            }
            usable++;
            _slots[filled++] = b;
            if (filled == MaxBatch)
            {
                Flush(filled, output);
                filled = 0;
            }
        }
        if (filled > 0)
        {
            Flush(filled, output);
        }
        return usable;
    }

    private void Flush(int n, Span<float> output)
    {
        int k = OutputLength;
        _inputValues[n] ??= OrtValue.CreateTensorValueFromMemory(_input, [n, Layout.Channels, Layout.Height, Layout.Width]);
        _outputValues[n] ??= OrtValue.CreateTensorValueFromMemory(_output, [n, k]);
        _session.Run(_runOptions, _inputNames, [_inputValues[n]], _outputNames, [_outputValues[n]]);
        for (int i = 0; i < n; i++)
        {
            _output.AsSpan(i * k, k).CopyTo(output.Slice(_slots[i] * k, k));
        }
        Crops += n;
    }

    public void Dispose()
    {
        foreach (var v in _inputValues)
        {
            v?.Dispose();
        }
        foreach (var v in _outputValues)
        {
            v?.Dispose();
        }
        _runOptions.Dispose();
        _batcher.Dispose();
        _session.Dispose();
    }
}
