namespace Edge.Evaluation;

/// <summary>
/// Turns MOTChallenge ground truth into a detection file with the seeded noise model that produced the MOT17
/// detections in the shared data (<c>data/mot/README.md</c>, "The MOT17 detections are simulated"): a person is found
/// more often and scores higher the more of them is visible, misses come in bursts, boxes jitter, and false positives
/// (random ones and a few static "ghosts") appear. Run with other seeds it gives new detections of the same scenes;
/// on other ground truth (MOT20) it gives scenes the settings were never tuned on: both are how the Follow Me and
/// tracker settings are checked for overfitting (docs/follow-me.md, "Held-out check").
/// </summary>
/// <remarks>Parameters as the data README states them; the jitter, score spread and false-positive shape were
/// measured on MOT17-02/04 (detections matched to ground truth at IoU ≥ 0.4: centre σ 4.0 % of the box side, log-size
/// σ 0.061, score residual σ 0.095 clamped to 0.99, 1.1 detections a frame matching no ground-truth box, all
/// of aspect 0.41). <c>SimulatedDetectorTests</c> compares its output with the shared MOT17-04 detections.</remarks>
public sealed record SimulatedDetector
{
    /// <summary>Detection probability of a fully hidden person; rises linearly to 1 at full visibility.</summary>
    public double BaseRecall { get; init; } = 0.25;

    /// <summary>Each person's recall is scaled by a factor drawn uniformly from this range.</summary>
    public double PersonFactorMin { get; init; } = 0.80;

    /// <inheritdoc cref="PersonFactorMin"/>
    public double PersonFactorMax { get; init; } = 1.05;

    /// <summary>Boxes shorter than <see cref="SmallHeight"/> pixels are found this much less often.</summary>
    public double SmallFactor { get; init; } = 0.7;

    public double SmallHeight { get; init; } = 50;

    /// <summary>Recall factor in the frame after a miss, so misses come in bursts.</summary>
    public double AfterMissFactor { get; init; } = 0.85;

    /// <summary>Score = <see cref="ScoreBase"/> + <see cref="ScorePerVisibility"/> × visibility + N(0, σ).</summary>
    public double ScoreBase { get; init; } = 0.30;

    /// <inheritdoc cref="ScoreBase"/>
    public double ScorePerVisibility { get; init; } = 0.65;

    /// <inheritdoc cref="ScoreBase"/>
    public double ScoreSigma { get; init; } = 0.1;

    /// <summary>Centre jitter σ as a fraction of the box width (x) and height (y).</summary>
    public double CentreSigma { get; init; } = 0.04;

    /// <summary>Width and height are scaled by exp(N(0, σ)), independently.</summary>
    public double SizeSigma { get; init; } = 0.06;

    /// <summary>Recall factor of distractor classes (person on vehicle, static person, distractor, reflection).</summary>
    public double DistractorFactor { get; init; } = 0.5;

    /// <summary>Mean number of random false positives a frame (Poisson).</summary>
    public double FalsePositivesPerFrame { get; init; } = 1.0;

    /// <summary>Static false positives per sequence, each firing on and off during 20–100 frames.</summary>
    public int Ghosts { get; init; } = 3;

    public static SimulatedDetector Default { get; } = new();

    private static readonly int[] DistractorClasses = [2, 7, 8, 12];

    /// <summary>Detections for frames 1..<paramref name="length"/> of <paramref name="groundTruth"/> (MOT17/MOT20 rows
    /// with class and visibility), in frame order, ids -1.</summary>
    public List<MotRecord> Detect(IReadOnlyList<MotRecord> groundTruth, int length, int imageWidth, int imageHeight, int seed)
    {
        ArgumentNullException.ThrowIfNull(groundTruth);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        var random = new Random(seed);
        ILookup<int, MotRecord> byFrame = groundTruth.ToLookup(r => r.Frame);
        var people = new Dictionary<int, (double Factor, bool MissedLast)>();
        var ghosts = new (double X, double Y, double W, double H, int From, int To, double Score)[Ghosts];
        for (int g = 0; g < ghosts.Length; g++)
        {
            (double w, double h) = FalsePositiveSize(random);
            int span = random.Next(20, 101);
            int from = 1 + random.Next(Math.Max(1, length - span));
            ghosts[g] = (random.NextDouble() * Math.Max(0, imageWidth - w), random.NextDouble() * Math.Max(0, imageHeight - h), w, h, from,
                from + span - 1, 0.45 + (0.35 * random.NextDouble()));
        }

        var detections = new List<MotRecord>();
        for (int f = 1; f <= length; f++)
        {
            foreach (MotRecord person in byFrame[f].OrderBy(r => r.Id))
            {
                bool pedestrian = person.ClassId == 1;
                if (!pedestrian && Array.IndexOf(DistractorClasses, person.ClassId) < 0)
                {
                    continue;
                }
                if (!people.TryGetValue(person.Id, out var state))
                {
                    state = (PersonFactorMin + ((PersonFactorMax - PersonFactorMin) * random.NextDouble()), false);
                }
                double visibility = Math.Clamp(person.Visibility, 0, 1);
                double recall = (BaseRecall + ((1 - BaseRecall) * visibility)) * state.Factor
                    * (person.Height < SmallHeight ? SmallFactor : 1) * (state.MissedLast ? AfterMissFactor : 1)
                    * (pedestrian ? 1 : DistractorFactor);
                bool found = random.NextDouble() < recall;
                people[person.Id] = (state.Factor, !found);
                if (!found)
                {
                    continue;
                }
                double w = person.Width * Math.Exp(SizeSigma * Gaussian(random));
                double h = person.Height * Math.Exp(SizeSigma * Gaussian(random));
                double cx = person.X + (person.Width / 2) + (CentreSigma * person.Width * Gaussian(random));
                double cy = person.Y + (person.Height / 2) + (CentreSigma * person.Height * Gaussian(random));
                double score = ScoreBase + (ScorePerVisibility * visibility) + (ScoreSigma * Gaussian(random));
                detections.Add(Row(f, cx - (w / 2), cy - (h / 2), w, h, score));
            }
            foreach (var ghost in ghosts)
            {
                if (f >= ghost.From && f <= ghost.To && random.NextDouble() < 0.6)
                {
                    detections.Add(Row(f, ghost.X, ghost.Y, ghost.W, ghost.H, ghost.Score + (0.05 * Gaussian(random))));
                }
            }
            for (int n = Poisson(random, FalsePositivesPerFrame); n > 0; n--)
            {
                (double w, double h) = FalsePositiveSize(random);
                // Mostly low scores: 0.05 + 0.6 u² has the quantiles measured (median 0.2, nine in ten below 0.55).
                double u = random.NextDouble();
                detections.Add(Row(f, random.NextDouble() * Math.Max(0, imageWidth - w), random.NextDouble() * Math.Max(0, imageHeight - h), w, h,
                    0.05 + (0.6 * u * u)));
            }
        }
        return detections;
    }

    private static MotRecord Row(int frame, double x, double y, double w, double h, double score) =>
        new(frame, -1, Math.Round(x, 2), Math.Round(y, 2), Math.Round(w, 2), Math.Round(h, 2), Math.Round(Math.Clamp(score, 0.01, 0.99), 3));

    /// <summary>A person-shaped box (aspect 0.41), height log-normal around 100 px.</summary>
    private static (double W, double H) FalsePositiveSize(Random random)
    {
        double h = Math.Clamp(100 * Math.Exp(0.7 * Gaussian(random)), 20, 600);
        return (0.41 * h, h);
    }

    internal static double Gaussian(Random random)
    {
        // Box-Muller; 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        double u1 = 1 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int Poisson(Random random, double mean)
    {
        // Knuth's multiplication method: fine for a mean around 1.
        double limit = Math.Exp(-mean), p = 1;
        int k = -1;
        do
        {
            k++;
            p *= random.NextDouble();
        }
        while (p > limit);
        return k;
    }
}
