using Edge.Detection;
using Edge.Models;

namespace Edge.Tests.DetectionTests;

public class LayoutSelectorTests
{
    private static LayoutChoice Select(long[] shape, int size = 640, DetectorLayout? declared = null, int? names = null, bool? e2e = null) =>
        LayoutSelector.Select(new LayoutEvidence("m.onnx", shape, size, size, declared, names, names is not null, e2e));

    [Fact]
    public void UltralyticsChannelsFirst()
    {
        LayoutChoice c = Select([1, 84, 8400], names: 80);
        Assert.Equal((DetectorLayout.UltralyticsV8, 80, 8400), (c.Layout, c.NumClasses, c.NumRows));
        // Dynamic batch and no metadata: still the shape rule.
        Assert.Equal(DetectorLayout.UltralyticsV8, Select([-1, 84, 2100], size: 320).Layout);
    }

    [Fact]
    public void UltralyticsWithMismatchedNamesIsAnError()
    {
        var ex = Assert.Throws<EdgeException>(() => Select([1, 84, 8400], names: 20));
        Assert.Contains("20 class names", ex.Message);
    }

    [Fact]
    public void YoloxGridCountIsOneRowPerCell()
    {
        // 416: 52^2 + 26^2 + 13^2 = 3549.
        LayoutChoice c = Select([1, 3549, 85], size: 416);
        Assert.Equal((DetectorLayout.YoloXGrid, 80, 3549), (c.Layout, c.NumClasses, c.NumRows));
        Assert.Equal(DetectorLayout.YoloXGrid, Select([1, 8400, 85]).Layout);
    }

    [Fact]
    public void YoloV5IsThreeAnchorsPerCell()
    {
        // 640: 3 * 8400 = 25200 (P5); P6 adds stride 64: 3 * (8400 + 100) = 25500.
        Assert.Equal(DetectorLayout.YoloV5, Select([1, 25200, 85]).Layout);
        Assert.Equal(DetectorLayout.YoloV5, Select([1, 25500, 85]).Layout);
        Assert.Equal(6, Select([1, 25200, 11]).NumClasses);
    }

    [Fact]
    public void EndToEnd()
    {
        Assert.Equal(DetectorLayout.EndToEnd, Select([1, 300, 6]).Layout);
        Assert.Equal(DetectorLayout.EndToEnd, Select([1, 300, 6], names: 80, e2e: true).Layout);
        // A YOLOv5 single-class model also has 6 columns, but its row count is the anchor count.
        Assert.Equal(DetectorLayout.YoloV5, Select([1, 25200, 6]).Layout);
    }

    [Fact]
    public void DeclaredLayoutWinsWhenItFits()
    {
        // N = 8400 at 640 would be a YOLOX grid by shape; the manifest says YOLOv5 (e.g. an anchor-free v5u export).
        Assert.Equal(DetectorLayout.YoloV5, Select([1, 8400, 85], declared: DetectorLayout.YoloV5).Layout);
        var ex = Assert.Throws<EdgeException>(() => Select([1, 84, 8400], declared: DetectorLayout.EndToEnd));
        Assert.Contains("declares layout EndToEnd", ex.Message);
    }

    [Theory]
    [InlineData(new long[] { 1, 512 })]          // re-id embedding
    [InlineData(new long[] { 1, 1000, 85 })]     // row count matches no grid at 640
    [InlineData(new long[] { 1, 3, 640, 640 })]  // segmentation-like map
    [InlineData(new long[] { 1, 4, 4 })]
    public void UnknownShapesListTheShapeAndTheSupportedLayouts(long[] shape)
    {
        var ex = Assert.Throws<EdgeException>(() => Select(shape));
        Assert.Contains($"[{string.Join(", ", shape)}]", ex.Message);
        Assert.Contains("m.onnx", ex.Message);
        Assert.Contains("UltralyticsV8 [B, 4+nc, N]", ex.Message);
        Assert.Contains("YoloXGrid", ex.Message);
        Assert.Contains("EndToEnd [B, K, 6]", ex.Message);
    }
}
