using Edge.Geometry;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>Runs an ONNX model with input [N, C, H, W] and output [N, K] on crops of one frame, batched: the
/// usable crops are packed into one pooled input buffer (up to <see cref="MaxBatch"/> per run) and each crop's
/// output row is written back to its box's slot; boxes without a usable crop get a zero row. Input and output
/// buffers are allocated once at the maximum batch and pinned by ORT for the runner's lifetime, and each batch size
/// gets one <see cref="OrtIoBinding"/> over them, so a warm run allocates nothing managed.</summary>
public sealed class CropModelRunner : IDisposable
{
    private readonly InferenceSession _session;
    private readonly CropBatcher _batcher;
    private readonly RunOptions _runOptions = new();
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly Batch?[] _batches;
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
            _inputName = input;
            _outputName = output;
            _input = new float[maxBatch * Layout.Length];
            _output = new float[maxBatch * k];
            _batches = new Batch?[maxBatch + 1];
            _slots = new int[maxBatch];
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            _batcher?.Dispose();
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
        _batches[n] ??= new Batch(this, n);
        _session.RunWithBinding(_runOptions, _batches[n]!.Binding);
        for (int i = 0; i < n; i++)
        {
            _output.AsSpan(i * k, k).CopyTo(output.Slice(_slots[i] * k, k));
        }
        Crops += n;
    }

    public void Dispose()
    {
        foreach (var batch in _batches)
        {
            batch?.Dispose();
        }
        _runOptions.Dispose();
        _batcher.Dispose();
        _session.Dispose();
    }

    /// <summary>The pinned input and output tensors of one batch size over the shared buffers, bound once.</summary>
    private sealed class Batch : IDisposable
    {
        private readonly OrtValue _input;
        private readonly OrtValue _output;

        public Batch(CropModelRunner runner, int n)
        {
            CropLayout layout = runner.Layout;
            _input = OrtValue.CreateTensorValueFromMemory(runner._input, [n, layout.Channels, layout.Height, layout.Width]);
            _output = OrtValue.CreateTensorValueFromMemory(runner._output, [n, runner.OutputLength]);
            Binding = runner._session.CreateIoBinding();
            Binding.BindInput(runner._inputName, _input);
            Binding.BindOutput(runner._outputName, _output);
        }

        public OrtIoBinding Binding { get; }

        public void Dispose()
        {
            Binding.Dispose();
            _input.Dispose();
            _output.Dispose();
        }
    }
}
