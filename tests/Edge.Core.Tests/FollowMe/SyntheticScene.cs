using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.FollowMe;

/// <summary>Builds tracker output by hand: people as boxes 60x200 px in a 1280x720 image at 30 fps.</summary>
internal static class SyntheticScene
{
    public const int Width = 1280;
    public const int Height = 720;
    public const float Fps = 30f;

    public static TrackView Person(int id, float cx, float vx = 0f, float cy = 400f, float height = 200f, TrackState state = TrackState.Confirmed, int index = 0) =>
        new(id, BoxF.FromCenter(cx, cy, height * 0.3f, height), 0.9f, 0, state, 0, index, vx, 0f);

    public static TrackView LostTrack(int id, float cx) =>
        new(id, BoxF.FromCenter(cx, 400f, 60f, 200f), 0.9f, 0, TrackState.Lost, 5, -1, 0f, 0f);
}
