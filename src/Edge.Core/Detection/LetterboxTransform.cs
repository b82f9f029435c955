using Edge.Geometry;
using Edge.Models;

namespace Edge.Detection;

/// <summary>Where the resized image sits inside the model input.</summary>
public enum LetterboxAnchor
{
    /// <summary>Centred, padding split on both sides (Ultralytics <c>LetterBox(center=True)</c>).</summary>
    Center,
    /// <summary>At the top-left corner, padding at the bottom and right (YOLOX <c>preproc</c>).</summary>
    TopLeft,
}

/// <summary>Aspect-preserving resize of a source image into a model input plus padding: input = source * Scale + Pad.
/// The arithmetic copies the reference implementations so boxes map back exactly as upstream does:
/// Ultralytics <c>LetterBox</c>/<c>scale_boxes</c> (round half to even, pad = round(d/2 ∓ 0.1)) and YOLOX
/// <c>preproc</c> (size truncated with int(), no offset).</summary>
public readonly record struct LetterboxTransform(
    int SourceWidth,
    int SourceHeight,
    int InputWidth,
    int InputHeight,
    float Scale,
    int ResizedWidth,
    int ResizedHeight,
    int PadX,
    int PadY)
{
    public static LetterboxAnchor AnchorFor(PixelFormat format) =>
        format == PixelFormat.Bgr255TopLeft ? LetterboxAnchor.TopLeft : LetterboxAnchor.Center;

    public static LetterboxTransform Create(int sourceWidth, int sourceHeight, int inputWidth, int inputHeight, LetterboxAnchor anchor)
    {
        if (sourceWidth <= 0 || sourceHeight <= 0)
        {
            throw new EdgeException($"Letterbox: source size {sourceWidth}x{sourceHeight} must be positive.");
        }
        if (inputWidth <= 0 || inputHeight <= 0)
        {
            throw new EdgeException($"Letterbox: model input size {inputWidth}x{inputHeight} must be positive.");
        }
        double r = Math.Min((double)inputHeight / sourceHeight, (double)inputWidth / sourceWidth);
        int rw, rh, padX, padY;
        if (anchor == LetterboxAnchor.Center)
        {
            // Python round() is half-to-even, as is Math.Round's default.
            rw = Math.Max(1, (int)Math.Round(sourceWidth * r));
            rh = Math.Max(1, (int)Math.Round(sourceHeight * r));
            padX = (int)Math.Round((inputWidth - rw) / 2.0 - 0.1);
            padY = (int)Math.Round((inputHeight - rh) / 2.0 - 0.1);
        }
        else
        {
            rw = Math.Max(1, (int)(sourceWidth * r));
            rh = Math.Max(1, (int)(sourceHeight * r));
            padX = 0;
            padY = 0;
        }
        return new LetterboxTransform(sourceWidth, sourceHeight, inputWidth, inputHeight, (float)r, rw, rh, padX, padY);
    }

    public float ToInputX(float sourceX) => sourceX * Scale + PadX;
    public float ToInputY(float sourceY) => sourceY * Scale + PadY;
    public float ToSourceX(float inputX) => (inputX - PadX) / Scale;
    public float ToSourceY(float inputY) => (inputY - PadY) / Scale;

    public BoxF ToInput(in BoxF source) =>
        new(ToInputX(source.X1), ToInputY(source.Y1), ToInputX(source.X2), ToInputY(source.Y2));

    /// <summary>Maps a box from model-input pixels to source pixels and clips it to the source image.</summary>
    public BoxF ToSource(in BoxF input) =>
        new BoxF(ToSourceX(input.X1), ToSourceY(input.Y1), ToSourceX(input.X2), ToSourceY(input.Y2))
            .Clip(SourceWidth, SourceHeight);
}
