using OpenCvSharp;

namespace Edge.Tests.Pipeline;

/// <summary>Writes a folder of small PNG frames whose pixels all equal (index, 50, 100) in BGR.</summary>
internal static class SyntheticFrames
{
    public static string WriteFolder(int count, int width = 64, int height = 48)
    {
        string dir = TestData.NewTempDir("frames");
        for (int i = 0; i < count; i++)
        {
            using var m = new Mat(height, width, MatType.CV_8UC3, new Scalar(i, 50, 100));
            Cv2.ImWrite(Path.Combine(dir, $"{i:D6}.png"), m);
        }
        return dir;
    }
}
