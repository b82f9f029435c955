using Edge.Training.Data;

namespace Edge.Training.Cli;

/// <summary>Loads --data for the classifier verbs: a digits grid image (file) or an image folder (directory),
/// then the deterministic stratified split.</summary>
internal static class ClassificationData
{
    public static ImageSet Load(string data, int imageSize, int channels) =>
        File.Exists(data) ? DigitsGrid.Load(data)
        : Directory.Exists(data) ? ImageFolder.Load(data, imageSize, channels)
        : throw new EdgeException($"--data: no such file or folder: {data}");
}
