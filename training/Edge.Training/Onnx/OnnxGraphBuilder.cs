using System.Runtime.InteropServices;
using Edge.Training.Onnx.Proto;
using Google.Protobuf;

namespace Edge.Training.Onnx;

/// <summary>Element type of the exported graph's weights and activations.</summary>
public enum OnnxPrecision
{
    Float32,
    /// <summary>Weights and activations in float16; the graph still takes and returns float32 (Cast at both ends),
    /// so consumers such as the Edge service need no change.</summary>
    Float16,
}

/// <summary>
/// Builds an ONNX graph node by node (operator semantics from the ONNX operator spec, opset 17). Names are unique
/// and readable ("model.0.conv.weight", "Conv_3"), initializers hold raw little-endian data.
/// </summary>
public sealed class OnnxGraphBuilder(OnnxPrecision precision = OnnxPrecision.Float32)
{
    public const int Opset = 17;

    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializerNames = new(StringComparer.Ordinal);

    public GraphProto Graph { get; } = new() { Name = "main_graph" };

    public OnnxPrecision Precision { get; } = precision;

    private TensorProto.Types.DataType FloatType =>
        Precision == OnnxPrecision.Float16 ? TensorProto.Types.DataType.Float16 : TensorProto.Types.DataType.Float;

    /// <summary>A fresh value name with the given prefix.</summary>
    public string Fresh(string prefix)
    {
        _counters.TryGetValue(prefix, out int n);
        _counters[prefix] = n + 1;
        return $"{prefix}_{n}";
    }

    /// <summary>Adds a float initializer (stored in the graph's precision).</summary>
    public string Initializer(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, d) => a * d);
        if (count != values.Length)
        {
            throw new ArgumentException($"initializer {name}: {values.Length} values for shape [{string.Join(',', dims)}]");
        }
        var t = new TensorProto { Name = Unique(name), DataType = (int)FloatType };
        t.Dims.AddRange(dims);
        if (Precision == OnnxPrecision.Float16)
        {
            var half = new Half[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                half[i] = (Half)values[i];
            }
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(half.AsSpan()));
        }
        else
        {
            t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        }
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds a float32 initializer whatever the precision (operands that must stay float, e.g. Resize scales).</summary>
    public string Float32Initializer(string name, params float[] values)
    {
        if (_initializerNames.Contains(name))
        {
            return name;
        }
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds an int64 initializer (shapes, axes, split sizes).</summary>
    public string Int64Initializer(string name, params long[] values)
    {
        var t = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        t.Dims.Add(values.Length);
        t.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(t);
        return t.Name;
    }

    /// <summary>Adds a node and returns its (single) output name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes) =>
        NodeMulti(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with several outputs.</summary>
    public string[] NodeMulti(string opType, string[] inputs, int outputs, params AttributeProto[] attributes)
    {
        string name = Fresh(opType);
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        var outNames = Enumerable.Range(0, outputs).Select(i => outputs == 1 ? $"{name}_out" : $"{name}_out{i}").ToArray();
        node.Output.AddRange(outNames);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return outNames;
    }

    /// <summary>Declares a float32 graph input; returns the name the body should consume (after a Cast in FP16 mode).</summary>
    public string Input(string name, params long[] dims)
    {
        Graph.Input.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));
        return Precision == OnnxPrecision.Float16
            ? Node("Cast", [name], Int("to", (long)TensorProto.Types.DataType.Float16))
            : name;
    }

    /// <summary>Declares <paramref name="value"/> as the float32 graph output <paramref name="name"/>.</summary>
    public void Output(string value, string name, params long[] dims)
    {
        var to = Precision == OnnxPrecision.Float16 ? TensorProto.Types.DataType.Float : (TensorProto.Types.DataType?)null;
        var node = new NodeProto { OpType = to is null ? "Identity" : "Cast", Name = Fresh("Output") };
        node.Input.Add(value);
        node.Output.Add(name);
        if (to is { } t)
        {
            node.Attribute.Add(Int("to", (long)t));
        }
        Graph.Node.Add(node);
        Graph.Output.Add(ValueInfo(name, TensorProto.Types.DataType.Float, dims));
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    /// <summary>Wraps the graph into a model with opset, producer and metadata_props.</summary>
    public ModelProto Build(IReadOnlyDictionary<string, string> metadata, string docString = "")
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = "Edge.Training",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            DocString = docString,
            Graph = Graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (k, v) in metadata)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = k, Value = v });
        }
        return model;
    }

    private string Unique(string name)
    {
        string unique = name;
        while (!_initializerNames.Add(unique))
        {
            unique = Fresh(name);
        }
        return unique;
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long d in dims)
        {
            shape.Dim.Add(d > 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
