using Edge.Geometry;
using Edge.Interop;
using OpenCvSharp;

namespace Edge.Appearance;

/// <summary>Cuts boxes out of a BGR frame and writes them, resized and normalised, into an NCHW float buffer. The
/// box is read through a native sub-Mat header over the frame's own pixels and resized straight into one small pooled
/// image, so no full-frame copy is made; the float conversion and channel split then run over that small image.
/// A box is clipped to the frame first (only its visible part is used, as BoxMOT's crop does); a box whose visible
/// part is thinner than <see cref="MinSide"/> pixels gives no crop (its slot is zeroed and reported invalid).</summary>
public sealed class CropBatcher : IDisposable
{
    /// <summary>Smallest visible width and height, in pixels, worth resizing (below it the crop is noise).</summary>
    public const int MinSide = 2;

    private readonly Mat _resized = new();
    private readonly float[] _scale;
    private readonly float[] _offset;

    public CropBatcher(CropLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        layout.Validate();
        Layout = layout;
        // (p / 255 - mean) / std = p * scale + offset.
        _scale = new float[layout.Channels];
        _offset = new float[layout.Channels];
        for (int c = 0; c < layout.Channels; c++)
        {
            _scale[c] = 1f / (255f * layout.Std[c]);
            _offset[c] = -layout.Mean[c] / layout.Std[c];
        }
    }

    public CropLayout Layout { get; }

    /// <summary>The integer pixel rectangle of the box's visible part, or false when it is smaller than
    /// <see cref="MinSide"/> in either direction (or not finite).</summary>
    public static bool TryClip(in BoxF box, int frameWidth, int frameHeight, out Rect rect)
    {
        rect = default;
        if (!(float.IsFinite(box.X1) && float.IsFinite(box.Y1) && float.IsFinite(box.X2) && float.IsFinite(box.Y2)))
        {
            return false;
        }
        int x1 = (int)Math.Clamp(MathF.Floor(box.X1), 0, frameWidth);
        int y1 = (int)Math.Clamp(MathF.Floor(box.Y1), 0, frameHeight);
        int x2 = (int)Math.Clamp(MathF.Ceiling(box.X2), 0, frameWidth);
        int y2 = (int)Math.Clamp(MathF.Ceiling(box.Y2), 0, frameHeight);
        if (x2 - x1 < MinSide || y2 - y1 < MinSide)
        {
            return false;
        }
        rect = new Rect(x1, y1, x2 - x1, y2 - y1);
        return true;
    }

    /// <summary>Writes one crop into <paramref name="chw"/> (<see cref="CropLayout.Length"/> floats). Returns false,
    /// with the slot zeroed, when the box has no usable visible part.</summary>
    public unsafe bool Write(Mat frameBgr, in BoxF box, Span<float> chw)
    {
        ArgumentNullException.ThrowIfNull(frameBgr);
        if (frameBgr.Type() != MatType.CV_8UC3)
        {
            throw new EdgeException($"CropBatcher: expected an 8-bit BGR frame, got {frameBgr.Type()}.");
        }
        var layout = Layout;
        if (chw.Length < layout.Length)
        {
            throw new EdgeException($"CropBatcher: slot of {chw.Length} floats, need {layout.Length}.");
        }
        chw = chw[..layout.Length];
        if (!TryClip(box, frameBgr.Width, frameBgr.Height, out Rect rect))
        {
            chw.Clear();
            return false;
        }
        NativeCv2.ResizeRegion(frameBgr, rect, _resized, new Size(layout.Width, layout.Height), InterpolationFlags.Linear);
        int w = layout.Width, h = layout.Height, plane = w * h;
        long step = _resized.Step();
        byte* data = (byte*)_resized.DataPointer;
        // BGR in memory: RGB order reads bytes 2, 1, 0.
        int i0 = layout.Rgb ? 2 : 0, i2 = layout.Rgb ? 0 : 2;
        for (int y = 0; y < h; y++)
        {
            byte* p = data + (y * step);
            int row = y * w;
            if (layout.Channels == 1)
            {
                for (int x = 0; x < w; x++, p += 3)
                {
                    // ITU-R BT.601 luma, as edge-train's ImageFolder builds grey inputs.
                    float luma = (0.299f * p[2]) + (0.587f * p[1]) + (0.114f * p[0]);
                    chw[row + x] = (luma * _scale[0]) + _offset[0];
                }
            }
            else
            {
                for (int x = 0; x < w; x++, p += 3)
                {
                    chw[row + x] = (p[i0] * _scale[0]) + _offset[0];
                    chw[plane + row + x] = (p[1] * _scale[1]) + _offset[1];
                    chw[(2 * plane) + row + x] = (p[i2] * _scale[2]) + _offset[2];
                }
            }
        }
        return true;
    }

    public void Dispose() => _resized.Dispose();
}
