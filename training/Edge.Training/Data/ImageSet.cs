namespace Edge.Training.Data;

/// <summary>A labelled image set held in memory as float pixels in 0..1, NCHW, one contiguous buffer.</summary>
public sealed class ImageSet
{
    public ImageSet(float[] pixels, int[] labels, int channels, int size, IReadOnlyList<string> classNames)
    {
        if (pixels.Length != labels.Length * channels * size * size)
        {
            throw new EdgeException($"image set: {pixels.Length} pixels for {labels.Length} images of {channels}x{size}x{size}");
        }
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Size = size;
        ClassNames = classNames;
    }

    public float[] Pixels { get; }

    public int[] Labels { get; }

    public int Channels { get; }

    public int Size { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Labels.Length;

    public int ImageLength => Channels * Size * Size;

    public ReadOnlySpan<float> Image(int index) => Pixels.AsSpan(index * ImageLength, ImageLength);

    public ImageSet Subset(IReadOnlyList<int> indices)
    {
        var pixels = new float[indices.Count * ImageLength];
        var labels = new int[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageLength, ImageLength));
            labels[i] = Labels[indices[i]];
        }
        return new ImageSet(pixels, labels, Channels, Size, ClassNames);
    }

    /// <summary>Deterministic stratified split: within each class, a seeded shuffle, the first
    /// <paramref name="trainFraction"/> to training and the rest to validation.</summary>
    public (ImageSet Train, ImageSet Val) Split(double trainFraction, int seed)
    {
        var train = new List<int>();
        var val = new List<int>();
        for (int c = 0; c < ClassNames.Count; c++)
        {
            var members = Enumerable.Range(0, Count).Where(i => Labels[i] == c).ToArray();
            new Random(seed + c).Shuffle(members);
            int nTrain = (int)Math.Round(members.Length * trainFraction);
            train.AddRange(members[..nTrain]);
            val.AddRange(members[nTrain..]);
        }
        train.Sort();
        val.Sort();
        return (Subset(train), Subset(val));
    }
}
