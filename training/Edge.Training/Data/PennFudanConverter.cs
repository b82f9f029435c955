using System.Globalization;
using System.Text.RegularExpressions;
using Edge.Geometry;

namespace Edge.Training.Data;

/// <summary>One Penn-Fudan image with its pedestrian boxes (0-based continuous xyxy).</summary>
public sealed record PennFudanImage(string Stem, int Width, int Height, IReadOnlyList<BoxF> Boxes)
{
    /// <summary>The README's split rule: validation when the stem's trailing number is divisible by 5.</summary>
    public bool IsValidation => int.Parse(Stem[^5..], CultureInfo.InvariantCulture) % 5 == 0;
}

/// <summary>
/// Converts Penn-Fudan (PASCAL-style v1.00 annotation text, /work/shared/data/pennfudan/README.md) to a YOLO dataset:
/// images/{train,val}/stem.png (symlinks, so no pixels are copied) and labels/{train,val}/stem.txt with one
/// "0 cx cy w h" line per pedestrian, normalised to the image size, plus data.yaml naming the single class.
/// Annotations are 1-based inclusive pixels: x0 = xmin − 1, y0 = ymin − 1, x1 = xmax, y1 = ymax.
/// </summary>
public static partial class PennFudanConverter
{
    public static IReadOnlyList<PennFudanImage> Read(string root)
    {
        string annotations = Path.Combine(root, "Annotation");
        if (!Directory.Exists(annotations))
        {
            throw new EdgeException($"Penn-Fudan annotations not found: {annotations}");
        }
        var images = new List<PennFudanImage>();
        foreach (string file in Directory.GetFiles(annotations, "*.txt").Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            var size = SizeLine().Match(text);
            if (!size.Success)
            {
                throw new EdgeException($"{file}: no 'Image size (X x Y x C)' line");
            }
            int w = int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), h = int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture);
            var boxes = BoxLine().Matches(text).Select(m => new BoxF(
                F(m.Groups[3]) - 1, F(m.Groups[4]) - 1, F(m.Groups[5]), F(m.Groups[6]))).ToList();
            var declared = ObjectCount().Match(text);
            if (declared.Success && int.Parse(declared.Groups[1].Value, CultureInfo.InvariantCulture) != boxes.Count)
            {
                throw new EdgeException($"{file}: declares {declared.Groups[1].Value} objects but has {boxes.Count} box lines");
            }
            images.Add(new PennFudanImage(Path.GetFileNameWithoutExtension(file), w, h, boxes));
        }
        return images;
    }

    /// <summary>Writes the YOLO dataset under <paramref name="output"/>; returns (train, val) image counts.</summary>
    public static (int Train, int Val) Convert(string root, string output)
    {
        var images = Read(root);
        foreach (string split in new[] { "train", "val" })
        {
            Directory.CreateDirectory(Path.Combine(output, "images", split));
            Directory.CreateDirectory(Path.Combine(output, "labels", split));
        }
        foreach (var image in images)
        {
            string split = image.IsValidation ? "val" : "train";
            string source = Path.GetFullPath(Path.Combine(root, "PNGImages", image.Stem + ".png"));
            if (!File.Exists(source))
            {
                throw new EdgeException($"Penn-Fudan image missing: {source}");
            }
            string link = Path.Combine(output, "images", split, image.Stem + ".png");
            if (File.Exists(link) || Directory.Exists(link))
            {
                File.Delete(link);
            }
            File.CreateSymbolicLink(link, source);
            File.WriteAllLines(Path.Combine(output, "labels", split, image.Stem + ".txt"),
                image.Boxes.Select(b => YoloLabel.Format(0, b, image.Width, image.Height)));
        }
        File.WriteAllText(Path.Combine(output, "data.yaml"), $"path: {Path.GetFullPath(output)}\ntrain: images/train\nval: images/val\nnames:\n  0: person\n");
        return (images.Count(i => !i.IsValidation), images.Count(i => i.IsValidation));
    }

    private static float F(Group g) => float.Parse(g.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Image size \(X x Y x C\) : (\d+) x (\d+) x \d+")]
    private static partial Regex SizeLine();

    [GeneratedRegex(@"Objects with ground truth : (\d+)")]
    private static partial Regex ObjectCount();

    [GeneratedRegex(@"Bounding box for object (\d+) ""([^""]+)"" \(Xmin, Ymin\) - \(Xmax, Ymax\) : \((\d+), (\d+)\) - \((\d+), (\d+)\)")]
    private static partial Regex BoxLine();
}
