using Edge.Appearance;
using Edge.Evaluation;
using Edge.FollowMe;
using Edge.Geometry;

namespace Edge.Tests.Evaluation;

public class SimulatedAppearanceTests
{
    private static readonly BoxF Box = new(100f, 100f, 160f, 300f);

    /// <summary>Cosines of two views of one person and of two people, as measured on vtest.avi by
    /// <c>bench appearance-similarity</c> (docs/follow-me.md): the presets must reproduce them.</summary>
    [Theory]
    [InlineData("osnet", 0.852, 0.077, 0.453, 0.095)]
    [InlineData("histogram", 0.874, 0.065, 0.489, 0.148)]
    public void PresetsReproduceTheSimilaritiesMeasuredOnRealFrames(string name, double sameMean, double sameSd, double otherMean, double otherSd)
    {
        var model = name == "osnet" ? AppearanceNoiseModel.Osnet : AppearanceNoiseModel.Histogram;
        var simulated = new SimulatedAppearance(model, seed: 3);
        var same = new List<double>();
        var other = new List<double>();
        for (int k = 0; k < 4000; k++)
        {
            float[] a1 = View(simulated, [new(2 * k, Box, 1f, true)]);
            float[] a2 = View(simulated, [new(2 * k, Box, 1f, true)]);
            float[] b = View(simulated, [new((2 * k) + 1, Box, 1f, true)]);
            same.Add(UnitVector.Dot(a1, a2));
            other.Add(UnitVector.Dot(a1, b));
        }
        Assert.InRange(same.Average(), sameMean - 0.02, sameMean + 0.02);
        Assert.InRange(other.Average(), otherMean - 0.02, otherMean + 0.02);
        // The spread of one person's views decides false vetoes, the spread of two people's the look-alikes.
        Assert.InRange(Sd(same), sameSd - 0.015, sameSd + 0.015);
        Assert.InRange(Sd(other), otherSd - 0.015, otherSd + 0.015);
    }

    [Fact]
    public void AHiddenPersonLooksPartlyLikeWhoeverHidesThem()
    {
        var simulated = new SimulatedAppearance(AppearanceNoiseModel.Osnet, seed: 5);
        FollowTruthBox front = new(1, Box with { Y1 = 120f, Y2 = 320f }, 1f, true);
        FollowTruthBox clear = new(2, Box, 1f, true);
        FollowTruthBox hidden = new(2, Box, 0.3f, true);
        double toFrontWhenClear = 0, toFrontWhenHidden = 0, toSelfWhenHidden = 0;
        for (int k = 0; k < 200; k++)
        {
            float[] frontView = View(simulated, [front, clear], front.Box);
            float[] selfView = View(simulated, [front, clear], clear.Box);
            float[] hiddenView = View(simulated, [front, hidden], hidden.Box);
            toFrontWhenClear += UnitVector.Dot(frontView, selfView);
            toFrontWhenHidden += UnitVector.Dot(frontView, hiddenView);
            toSelfWhenHidden += UnitVector.Dot(selfView, hiddenView);
        }
        // 70 % of the crop is the person in front (feet lower in the image), so the view is closer to them.
        Assert.True(toFrontWhenHidden > toSelfWhenHidden, $"hidden view: {toFrontWhenHidden / 200:0.00} to the front person, {toSelfWhenHidden / 200:0.00} to itself");
        Assert.True(toFrontWhenHidden > toFrontWhenClear + (0.2 * 200), $"{toFrontWhenHidden / 200:0.00} vs {toFrontWhenClear / 200:0.00}");
    }

    [Fact]
    public void ABoxOnNobodyIsANewFaceEveryTime_AndSeedsRepeat()
    {
        FollowTruthBox person = new(1, Box, 1f, true);
        BoxF empty = new(600f, 100f, 660f, 300f);
        float[] first = View(new SimulatedAppearance(AppearanceNoiseModel.Osnet, seed: 9), [person], empty);
        float[] again = View(new SimulatedAppearance(AppearanceNoiseModel.Osnet, seed: 9), [person], empty);
        Assert.Equal(first, again);
        var simulated = new SimulatedAppearance(AppearanceNoiseModel.Osnet, seed: 9);
        float[] personView = View(simulated, [person]);
        float[] a = View(simulated, [person], empty), b = View(simulated, [person], empty);
        Assert.InRange(UnitVector.Dot(a, b), 0.1f, 0.75f);
        Assert.InRange(UnitVector.Dot(personView, a), 0.1f, 0.75f);
    }

    private static float[] View(SimulatedAppearance simulated, FollowTruthBox[] people, BoxF? box = null)
    {
        var row = new float[simulated.Dimension];
        simulated.Observe(people, [box ?? people[0].Box], row);
        return row;
    }

    private static double Sd(List<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
