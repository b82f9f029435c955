namespace Edge.Training.Onnx;

/// <summary>A module that writes its own ONNX nodes (composite blocks whose forward is not a plain chain).</summary>
public interface IOnnxExportable
{
    /// <summary>Appends this module's nodes, reading <paramref name="input"/>; returns the output value name.</summary>
    string ExportOnnx(OnnxModuleExporter exporter, string input, string scope);
}
