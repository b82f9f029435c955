using System.Runtime.InteropServices;
using Edge.Training.Onnx.Proto;

namespace Edge.Training.Onnx;

/// <summary>Reads an ONNX file's float32 initializers (raw_data or float_data) and metadata_props.</summary>
public sealed class OnnxInitializers
{
    private readonly Dictionary<string, (long[] Dims, float[] Values)> _floats = new(StringComparer.Ordinal);

    public OnnxInitializers(string path)
    {
        if (!File.Exists(path))
        {
            throw new EdgeException($"ONNX model not found: {path}");
        }
        Path = path;
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException ex)
        {
            throw new EdgeException($"{path}: not an ONNX model ({ex.Message})", ex);
        }
        Metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var t in model.Graph.Initializer)
        {
            if (t.DataType != (int)TensorProto.Types.DataType.Float)
            {
                continue;
            }
            float[] values = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : [.. t.FloatData];
            _floats[t.Name] = ([.. t.Dims], values);
        }
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    public IEnumerable<string> Names => _floats.Keys;

    public bool TryGet(string name, out long[] dims, out float[] values)
    {
        if (_floats.TryGetValue(name, out var v))
        {
            (dims, values) = v;
            return true;
        }
        (dims, values) = ([], []);
        return false;
    }
}
