using Edge.Geometry;
using OpenCvSharp;

namespace Edge.Tests.Appearance;

/// <summary>Hand-labelled people of vtest.avi at frames 100 and 110 (1 s apart): identities assigned by eye and by
/// motion, not from embeddings (models README, osnet section, "Hand-labelled check"). Boxes are x1,y1,x2,y2.</summary>
internal static class VtestCrops
{
    public static readonly BoxF[] Frame100 =
    [
        new(223, 60, 238, 96),   // P1 small far walker, top left
        new(377, 177, 409, 255), // P2 man, dark jacket, jeans
        new(494, 149, 519, 220), // P3 red-and-navy jacket
        new(515, 152, 542, 220), // P4 blonde woman, black coat
        new(590, 155, 618, 234), // P5 dark green jacket, jeans
    ];

    public static readonly BoxF[] Frame110 =
    [
        new(193, 64, 210, 101),
        new(372, 176, 402, 253),
        new(526, 138, 551, 206),
        new(549, 143, 573, 209),
        new(617, 140, 647, 218),
    ];

    public static Mat Read(int index)
    {
        using var capture = new VideoCapture(TestData.VideoPath);
        Assert.True(capture.IsOpened(), $"cannot open {TestData.VideoPath}");
        capture.Set(VideoCaptureProperties.PosFrames, index);
        var m = new Mat();
        Assert.True(capture.Read(m) && !m.Empty(), $"could not read frame {index} of {TestData.VideoPath}");
        return m;
    }

    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float s = 0;
        for (int i = 0; i < a.Length; i++)
        {
            s += a[i] * b[i];
        }
        return s;
    }
}
