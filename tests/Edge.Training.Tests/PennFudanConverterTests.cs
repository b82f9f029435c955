using Edge.Tests;
using Edge.Training.Data;

namespace Edge.Training.Tests;

public sealed class PennFudanConverterTests
{
    [Fact]
    public void Split_and_box_counts_match_the_dataset_readme()
    {
        string root = TestData.Shared("data", "pennfudan");
        var images = PennFudanConverter.Read(root);
        // README "Counts" and "Suggested split" tables: 170 images, 423 boxes; train 137 / 338, val 33 / 85.
        Assert.Equal(170, images.Count);
        Assert.Equal(423, images.Sum(i => i.Boxes.Count));
        Assert.Equal(33, images.Count(i => i.IsValidation));
        Assert.Equal(85, images.Where(i => i.IsValidation).Sum(i => i.Boxes.Count));
        Assert.Equal(338, images.Where(i => !i.IsValidation).Sum(i => i.Boxes.Count));
    }

    [Fact]
    public void Writes_normalised_yolo_labels_that_read_back_to_the_same_boxes()
    {
        string root = TestData.Shared("data", "pennfudan");
        string output = TestData.NewTempDir("pennfudan");
        var (train, val) = PennFudanConverter.Convert(root, output);
        Assert.Equal((137, 33), (train, val));
        Assert.Equal(137, Directory.GetFiles(Path.Combine(output, "labels", "train")).Length);
        Assert.True(File.Exists(Path.Combine(output, "images", "val", "FudanPed00005.png")));

        var image = PennFudanConverter.Read(root).First(i => i.Stem == "FudanPed00001");
        var labels = YoloLabel.Read(Path.Combine(output, "labels", "train", "FudanPed00001.txt"), image.Width, image.Height);
        Assert.Equal(image.Boxes.Count, labels.Count);
        for (int i = 0; i < labels.Count; i++)
        {
            Assert.Equal(0, labels[i].ClassId);
            Assert.Equal(image.Boxes[i].X1, labels[i].Box.X1, 0.01f);
            Assert.Equal(image.Boxes[i].Y2, labels[i].Box.Y2, 0.01f);
        }
        Directory.Delete(output, recursive: true);
    }

    [Fact]
    public void Converts_one_based_inclusive_corners_to_continuous_boxes()
    {
        string root = TestData.Shared("data", "pennfudan");
        string firstLine = File.ReadLines(Path.Combine(root, "Annotation", "FudanPed00001.txt"))
            .First(l => l.StartsWith("Bounding box for object 1", StringComparison.Ordinal));
        // Parse the raw numbers independently: "(x1, y1) - (x2, y2)" after the colon.
        var numbers = firstLine[(firstLine.LastIndexOf(':') + 1)..].Split(['(', ')', ',', '-', ' '], StringSplitOptions.RemoveEmptyEntries)
            .Select(float.Parse).ToArray();
        var box = PennFudanConverter.Read(root).First(i => i.Stem == "FudanPed00001").Boxes[0];
        Assert.Equal((numbers[0] - 1, numbers[1] - 1, numbers[2], numbers[3]), (box.X1, box.Y1, box.X2, box.Y2));
    }
}
