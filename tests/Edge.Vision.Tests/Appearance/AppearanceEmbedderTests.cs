using Edge.Appearance;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.Appearance;

public class AppearanceEmbedderTests
{
    private const string Osnet = "osnet_x0_25_msmt17.onnx";

    public static TheoryData<string> Embedders => ["osnet", "histogram"];

    private static IAppearanceEmbedder Create(string kind, int maxBatch = 16) => kind == "osnet"
        ? new OnnxReidEmbedder(TestData.Model(Osnet), maxBatch, intraOpThreads: 1)
        : new ColorHistogramEmbedder();

    [Theory]
    [MemberData(nameof(Embedders))]
    public void SamePersonTenFramesApartIsMoreSimilarThanAnyOtherPerson(string kind)
    {
        using var f100 = VtestCrops.Read(100);
        using var f110 = VtestCrops.Read(110);
        using var embedder = Create(kind);
        int d = embedder.Dimension;
        int n = VtestCrops.Frame100.Length;
        var a = new float[n * d];
        var b = new float[n * d];
        embedder.Compute(f100, VtestCrops.Frame100, a);
        embedder.Compute(f110, VtestCrops.Frame110, b);
        // Hand-chosen pairs: P2..P5 are 70-80 px tall; P1 (36 px, far away) is left out for the histogram, whose
        // few pixels are mostly background.
        int first = kind == "osnet" ? 0 : 1;
        for (int i = first; i < n; i++)
        {
            float same = VtestCrops.Dot(a.AsSpan(i * d, d), b.AsSpan(i * d, d));
            for (int j = first; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }
                float other = VtestCrops.Dot(a.AsSpan(i * d, d), b.AsSpan(j * d, d));
                float otherReverse = VtestCrops.Dot(a.AsSpan(j * d, d), b.AsSpan(i * d, d));
                Assert.True(same > other && same > otherReverse,
                    $"{kind}: P{i + 1} same-person cosine {same:0.000} vs P{i + 1}->P{j + 1} {other:0.000} / P{j + 1}->P{i + 1} {otherReverse:0.000}");
            }
        }
    }

    [Fact]
    public void OsnetRowsAreUnitLengthAndMatchTheReadmeMargins()
    {
        using var f100 = VtestCrops.Read(100);
        using var f110 = VtestCrops.Read(110);
        using var embedder = Create("osnet");
        Assert.Equal(512, embedder.Dimension);
        var a = new float[5 * 512];
        var b = new float[5 * 512];
        embedder.Compute(f100, VtestCrops.Frame100, a);
        embedder.Compute(f110, VtestCrops.Frame110, b);
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(1f, VtestCrops.Dot(a.AsSpan(i * 512, 512), a.AsSpan(i * 512, 512)), 4);
        }
        // README: P3 (red-and-navy jacket) 0.935 with itself, 0.386 or less with the others; allow small drift
        // from a different resize implementation.
        Assert.InRange(VtestCrops.Dot(a.AsSpan(2 * 512, 512), b.AsSpan(2 * 512, 512)), 0.88f, 0.98f);
        Assert.InRange(VtestCrops.Dot(a.AsSpan(2 * 512, 512), b.AsSpan(1 * 512, 512)), 0.25f, 0.5f);
    }

    [Fact]
    public void BatchingGivesTheSameVectorsAsOneByOne()
    {
        using var frame = VtestCrops.Read(100);
        // Five people, one box off the frame (zero row) and one cut by the border, with a batch limit of 4 so the
        // run is split in two batches.
        BoxF[] boxes = [.. VtestCrops.Frame100, new BoxF(900, 900, 950, 1000), new BoxF(-10, 200, 20, 290)];
        using var batched = new OnnxReidEmbedder(TestData.Model(Osnet), maxBatch: 4, intraOpThreads: 1);
        using var single = new OnnxReidEmbedder(TestData.Model(Osnet), maxBatch: 1, intraOpThreads: 1);
        int d = batched.Dimension;
        var all = new float[boxes.Length * d];
        batched.Compute(frame, boxes, all);
        Assert.Equal(boxes.Length - 1, batched.Crops);
        for (int i = 0; i < boxes.Length; i++)
        {
            var one = new float[d];
            single.Compute(frame, boxes.AsSpan(i, 1), one);
            var row = all.AsSpan(i * d, d);
            for (int k = 0; k < d; k++)
            {
                Assert.True(MathF.Abs(one[k] - row[k]) < 1e-5f, $"box {i} value {k}: batched {row[k]} vs single {one[k]}");
            }
        }
        Assert.All(all.AsSpan(5 * d, d).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OsnetComputeAllocatesNothingOnceWarm()
    {
        // Five people and a box cut by the border, in batches of 4 and 2: the crops go through a native ROI header
        // and each batch size has its own I/O binding, so a warm call allocates nothing managed.
        using var frame = VtestCrops.Read(100);
        BoxF[] boxes = [.. VtestCrops.Frame100, new BoxF(-10, 200, 20, 290)];
        using var embedder = new OnnxReidEmbedder(TestData.Model(Osnet), maxBatch: 4, intraOpThreads: 1);
        var rows = new float[boxes.Length * embedder.Dimension];
        for (int i = 0; i < 3; i++)
        {
            embedder.Compute(frame, boxes, rows); // warm-up: bindings, ORT's first-run allocations
        }
        var warm = (float[])rows.Clone();
        long allocated = SteadyStateAllocations.Measure(() =>
        {
            for (int i = 0; i < 5; i++)
            {
                embedder.Compute(frame, boxes, rows);
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(warm, rows);
    }
}
