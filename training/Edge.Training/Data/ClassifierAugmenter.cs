namespace Edge.Training.Data;

/// <summary>Cheap per-image augmentation for small classifiers: random translation by up to <see cref="Shift"/>
/// pixels (zero fill), optional horizontal flip, and brightness/contrast jitter. Deterministic given the Random.</summary>
public sealed record ClassifierAugmenter(int Shift = 2, double FlipLr = 0, double Jitter = 0.1)
{
    public void Apply(ReadOnlySpan<float> source, Span<float> target, int channels, int size, Random rng)
    {
        int dx = Shift > 0 ? rng.Next(-Shift, Shift + 1) : 0;
        int dy = Shift > 0 ? rng.Next(-Shift, Shift + 1) : 0;
        bool flip = FlipLr > 0 && rng.NextDouble() < FlipLr;
        float contrast = 1 + (float)(((rng.NextDouble() * 2) - 1) * Jitter);
        float brightness = (float)(((rng.NextDouble() * 2) - 1) * Jitter);
        int plane = size * size;
        for (int c = 0; c < channels; c++)
        {
            for (int y = 0; y < size; y++)
            {
                int sy = y - dy;
                for (int x = 0; x < size; x++)
                {
                    int sx = (flip ? size - 1 - x : x) - dx;
                    float v = sy >= 0 && sy < size && sx >= 0 && sx < size ? source[(c * plane) + (sy * size) + sx] : 0f;
                    target[(c * plane) + (y * size) + x] = Math.Clamp((v * contrast) + brightness, 0f, 1f);
                }
            }
        }
    }
}
