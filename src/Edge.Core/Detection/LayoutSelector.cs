using Edge.Models;

namespace Edge.Detection;

/// <summary>What is known about a model when choosing its output layout. Never the file name.</summary>
/// <param name="ModelName">For error messages only.</param>
/// <param name="OutputShape">Shape of the first output; -1 (or 0) for dynamic dimensions.</param>
/// <param name="DeclaredLayout">A layout stated by the manifest (or metadata); wins when it fits the shape.</param>
/// <param name="MetadataClassCount">Number of names in Ultralytics metadata, when present.</param>
/// <param name="IsUltralytics">Ultralytics metadata present (author/task/names).</param>
/// <param name="EndToEnd">Ultralytics metadata <c>end2end</c>, when present.</param>
public sealed record LayoutEvidence(
    string ModelName,
    IReadOnlyList<long> OutputShape,
    int InputWidth,
    int InputHeight,
    DetectorLayout? DeclaredLayout = null,
    int? MetadataClassCount = null,
    bool IsUltralytics = false,
    bool? EndToEnd = null);

/// <summary>The chosen layout and the sizes the decoder needs.</summary>
public readonly record struct LayoutChoice(DetectorLayout Layout, int NumClasses, int NumRows, string Reason);

/// <summary>Chooses how to decode a detector's output from its metadata and tensor shapes.
/// Rules, in order (docs/models.md):
/// 1. a declared layout (manifest <c>layout</c>) is used if the shape fits it, otherwise it is an error;
/// 2. rank must be 3: [B, a, b];
/// 3. Ultralytics metadata with end2end=True, or b == 6 with a not a YOLO grid count, gives EndToEnd [B,K,6];
/// 4. a &lt; b (channels first) gives UltralyticsV8 [B, 4+nc, N] (nc = a - 4; must match the metadata names);
/// 5. a &gt; b gives a row-major [B, N, 5+nc] head: N == G (one prediction per cell, G = Σ (W/s)(H/s) over strides
///    8/16/32) is the anchor-free YOLOX raw grid; N == 3G (three anchors per cell, or 3·G₆₄ with a P6 stride 64)
///    is YOLOv5. YOLOv5 and YOLOX grids can never share N for the same input size, so the shape alone settles it.
/// Anything else is an <see cref="EdgeException"/> listing the shape found and the supported layouts.</summary>
public static class LayoutSelector
{
    public const string SupportedLayouts =
        "UltralyticsV8 [B, 4+nc, N] (YOLOv8/YOLO11); YoloV5 [B, N, 5+nc] with N = 3·Σ(W/s·H/s); " +
        "YoloXGrid [B, N, 5+nc] with N = Σ(W/s·H/s), s = 8,16,32; EndToEnd [B, K, 6] (x1,y1,x2,y2,score,class)";

    public static LayoutChoice Select(LayoutEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        IReadOnlyList<long> s = e.OutputShape;
        if (s.Count != 3 || s[1] <= 0 || s[2] <= 0)
        {
            throw Unsupported(e, "an output of rank 3 with fixed sizes after the batch dimension is needed");
        }
        int a = checked((int)s[1]), b = checked((int)s[2]);
        int g = YoloXGridDecoder.GridCount(e.InputWidth, e.InputHeight, YoloXGridDecoder.DefaultStrides);
        int g6 = YoloXGridDecoder.GridCount(e.InputWidth, e.InputHeight, [8, 16, 32, 64]);

        if (e.DeclaredLayout is { } declared)
        {
            LayoutChoice? fit = Fit(declared, a, b, g, "declared by the manifest");
            return fit ?? throw Unsupported(e, $"the manifest declares layout {declared}, which does not fit this shape");
        }
        if (e.EndToEnd == true)
        {
            return Fit(DetectorLayout.EndToEnd, a, b, g, "Ultralytics metadata end2end=True")
                ?? throw Unsupported(e, "metadata says end2end=True but the output is not [B, K, 6]");
        }
        if (a < b && a > 4)
        {
            int nc = a - 4;
            if (e.MetadataClassCount is { } mnc && mnc != nc)
            {
                throw Unsupported(e, $"the metadata lists {mnc} class names but the output has 4+{nc} rows");
            }
            return new LayoutChoice(DetectorLayout.UltralyticsV8, nc, b, $"channels-first [B, 4+{nc}, {b}]");
        }
        if (a > b && b > 5)
        {
            if (a == g)
            {
                return new LayoutChoice(DetectorLayout.YoloXGrid, b - 5, a, $"N = {a} = one row per grid cell at strides 8/16/32");
            }
            if (a == 3 * g || a == 3 * g6)
            {
                return new LayoutChoice(DetectorLayout.YoloV5, b - 5, a, $"N = {a} = three anchors per grid cell");
            }
            if (b == 6)
            {
                return new LayoutChoice(DetectorLayout.EndToEnd, e.MetadataClassCount ?? 0, a, $"[B, {a}, 6] rows that are not a grid");
            }
            throw Unsupported(e, $"N = {a} matches neither the YOLOX grid count {g} nor the YOLOv5 anchor count {3 * g} for a {e.InputWidth}x{e.InputHeight} input");
        }
        if (b == 6)
        {
            return new LayoutChoice(DetectorLayout.EndToEnd, e.MetadataClassCount ?? 0, a, $"[B, {a}, 6]");
        }
        throw Unsupported(e, "the shape matches no known detector head");
    }

    private static LayoutChoice? Fit(DetectorLayout layout, int a, int b, int g, string why) => layout switch
    {
        DetectorLayout.UltralyticsV8 when a > 4 && a < b => new LayoutChoice(layout, a - 4, b, why),
        DetectorLayout.YoloV5 when b > 5 => new LayoutChoice(layout, b - 5, a, why),
        DetectorLayout.YoloXGrid when b > 5 && a == g => new LayoutChoice(layout, b - 5, a, why),
        DetectorLayout.EndToEnd when b == 6 => new LayoutChoice(layout, 0, a, why),
        _ => null,
    };

    private static EdgeException Unsupported(LayoutEvidence e, string why) => new(
        $"Model '{e.ModelName}': output shape [{string.Join(", ", e.OutputShape)}] with input {e.InputWidth}x{e.InputHeight} " +
        $"is not a supported detector output ({why}). Supported layouts: {SupportedLayouts}.");
}
