using Edge.Appearance;
using Edge.FollowMe;
using Edge.Geometry;

namespace Edge.Evaluation;

/// <summary>How appearance vectors of one person scatter and how alike two people look, as a generative model:
/// each person has a clean unit vector √ρ·m + √(1−ρ)·z (m shared by everyone, z random in the first
/// <see cref="IdentityDimensions"/> of <see cref="Dimension"/> axes), and each observation adds Gaussian noise of norm
/// about <see cref="Noise"/>·exp(<see cref="NoiseSpread"/>·N(0, 1)) (some views are worse than others: pose, blur)
/// before normalising. Two observations of one person then have cosine ≈ 1/(1+Noise²), two people ≈ ρ/(1+Noise²).</summary>
/// <param name="Dimension">Length of a row.</param>
/// <param name="IdentityDimensions">Axes people differ along (fewer axes: look-alikes are more common).</param>
/// <param name="SharedSimilarity">ρ, the cosine of two different people's clean vectors on average.</param>
/// <param name="Noise">Typical norm of the per-observation noise relative to the clean vector.</param>
/// <param name="NoiseSpread">σ of the logarithm of an observation's noise norm.</param>
public sealed record AppearanceNoiseModel(int Dimension, int IdentityDimensions, float SharedSimilarity, float Noise, float NoiseSpread)
{
    /// <summary>OSNet x0.25 (MSMT17) on vtest.avi: same person a second apart 0.852 ± 0.077, two people in the same
    /// frame 0.453 ± 0.095 (<c>bench appearance-similarity</c>, docs/follow-me.md); this model gives
    /// 0.854 ± 0.070 and 0.453 ± 0.106 (<c>SimulatedAppearanceTests</c>).</summary>
    public static AppearanceNoiseModel Osnet { get; } = new(64, 24, 0.53f, 0.38f, 0.35f);

    /// <summary>The two-stripe HSV colour histogram (<c>ColorHistogramEmbedder</c>) on vtest.avi: same person
    /// 0.874 ± 0.065 (p5 0.776), two people 0.489 ± 0.148 (p95 0.737); this model gives 0.873 ± 0.058 (p5 0.764) and
    /// 0.490 ± 0.144 (p95 0.729).</summary>
    public static AppearanceNoiseModel Histogram { get; } = new(32, 10, 0.56f, 0.36f, 0.3f);

    public void Validate()
    {
        if (Dimension < 2 || IdentityDimensions < 1 || IdentityDimensions >= Dimension || !(SharedSimilarity is >= 0f and < 1f) || !(Noise >= 0f) || !(NoiseSpread >= 0f))
        {
            throw new EdgeException($"Appearance noise model {this} is invalid: need 1 <= IdentityDimensions < Dimension, 0 <= SharedSimilarity < 1, Noise >= 0, NoiseSpread >= 0.");
        }
    }
}

/// <summary>Appearance rows for boxes of a sequence whose ground truth is known (MOTChallenge data has no images):
/// what a re-id model or colour histogram would give, drawn from a calibrated <see cref="AppearanceNoiseModel"/>. A box
/// on a ground-truth person (IoU ≥ 0.5) shows that person, mixed with whoever hides the rest of them in proportion to
/// the person's visibility (the crop holds the occluder's pixels); any other box (a false positive) shows nobody known.
/// Used by <c>edge follow-eval --appearance</c> to estimate what appearance changes for Follow Me; an estimate, not a
/// measurement.</summary>
public sealed class SimulatedAppearance
{
    private readonly AppearanceNoiseModel _model;
    private readonly Random _random;
    private readonly Dictionary<int, float[]> _identities = [];
    private readonly float[] _scratch;

    public SimulatedAppearance(AppearanceNoiseModel model, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Validate();
        _model = model;
        _random = new Random(seed);
        _scratch = new float[model.Dimension];
    }

    public int Dimension => _model.Dimension;

    /// <summary>Writes one row per box into <paramref name="output"/> (boxes × <see cref="Dimension"/>), given the frame's
    /// ground-truth people.</summary>
    public void Observe(ReadOnlySpan<FollowTruthBox> people, ReadOnlySpan<BoxF> boxes, Span<float> output)
    {
        int d = _model.Dimension;
        if (output.Length < boxes.Length * d)
        {
            throw new ArgumentException($"Need {boxes.Length * d} floats for {boxes.Length} boxes, got {output.Length}.", nameof(output));
        }
        for (int b = 0; b < boxes.Length; b++)
        {
            Span<float> row = output.Slice(b * d, d);
            int shown = BestMatch(people, boxes[b]);
            if (shown < 0)
            {
                NewIdentity(row);
            }
            else
            {
                FollowTruthBox person = people[shown];
                float visible = Math.Clamp(person.Visibility, 0f, 1f);
                Identity(person.Id).CopyTo(row);
                if (visible < 1f)
                {
                    int occluder = InFront(people, shown);
                    ReadOnlySpan<float> hidden = occluder >= 0 ? Identity(people[occluder].Id) : NewIdentity(_scratch);
                    for (int i = 0; i < d; i++)
                    {
                        row[i] = (visible * row[i]) + ((1f - visible) * hidden[i]);
                    }
                }
            }
            float sigma = _model.Noise * MathF.Exp(_model.NoiseSpread * (float)SimulatedDetector.Gaussian(_random)) / MathF.Sqrt(d);
            for (int i = 0; i < d; i++)
            {
                row[i] += sigma * (float)SimulatedDetector.Gaussian(_random);
            }
            UnitVector.Normalize(row);
        }
    }

    private float[] Identity(int id)
    {
        if (!_identities.TryGetValue(id, out float[]? vector))
        {
            vector = new float[_model.Dimension];
            NewIdentity(vector);
            _identities[id] = vector;
        }
        return vector;
    }

    private Span<float> NewIdentity(Span<float> vector)
    {
        vector.Clear();
        for (int i = 1; i <= _model.IdentityDimensions; i++)
        {
            vector[i] = (float)SimulatedDetector.Gaussian(_random);
        }
        UnitVector.Normalize(vector);
        float identity = MathF.Sqrt(1f - _model.SharedSimilarity);
        for (int i = 1; i <= _model.IdentityDimensions; i++)
        {
            vector[i] *= identity;
        }
        vector[0] = MathF.Sqrt(_model.SharedSimilarity);
        return vector;
    }

    /// <summary>The person overlapping <paramref name="box"/> most at IoU ≥ 0.5 (the evaluation's match), or -1.</summary>
    private static int BestMatch(ReadOnlySpan<FollowTruthBox> people, in BoxF box)
    {
        int best = -1;
        float bestIoU = FollowEvaluation.MatchIoU;
        for (int i = 0; i < people.Length; i++)
        {
            float iou = people[i].Box.IoU(box);
            if (iou >= bestIoU)
            {
                (best, bestIoU) = (i, iou);
            }
        }
        return best;
    }

    /// <summary>Whoever covers the most of person <paramref name="hidden"/> from in front (lower feet in the image:
    /// nearer the camera), or -1 when nobody does (a car, a pole, the image border).</summary>
    private static int InFront(ReadOnlySpan<FollowTruthBox> people, int hidden)
    {
        BoxF box = people[hidden].Box;
        int best = -1;
        float bestArea = 0f;
        for (int i = 0; i < people.Length; i++)
        {
            if (i == hidden || people[i].Box.Y2 <= box.Y2)
            {
                continue;
            }
            float area = people[i].Box.IntersectionArea(box);
            if (area > bestArea)
            {
                (best, bestArea) = (i, area);
            }
        }
        return best;
    }
}
