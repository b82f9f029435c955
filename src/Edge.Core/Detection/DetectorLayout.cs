namespace Edge.Models;

// These two enums live in Edge.Core (namespace kept as Edge.Models, where ModelInfo uses them) so the pure
// layout selection, decoders and preprocessing can name them without referencing ONNX Runtime.

/// <summary>Output layouts Edge decodes (see Edge.Detection.*Decoder).</summary>
public enum DetectorLayout
{
    /// <summary>Ultralytics v8/v11: [B, 4+nc, N], cx cy w h then sigmoid class scores, no objectness.</summary>
    UltralyticsV8,
    /// <summary>YOLOv5: [B, N, 5+nc], cx cy w h objectness class scores.</summary>
    YoloV5,
    /// <summary>YOLOX raw grid: [B, N, 5+nc] before grid/stride decoding.</summary>
    YoloXGrid,
    /// <summary>End-to-end (YOLOv10/YOLO26): [B, K, 6] x1 y1 x2 y2 score class, NMS already applied.</summary>
    EndToEnd,
}

/// <summary>How input pixels are prepared for a model.</summary>
public enum PixelFormat
{
    /// <summary>RGB scaled to 0..1, letterbox centred (Ultralytics).</summary>
    Rgb01Centered,
    /// <summary>BGR raw 0..255, padded bottom-right (YOLOX).</summary>
    Bgr255TopLeft,
}
