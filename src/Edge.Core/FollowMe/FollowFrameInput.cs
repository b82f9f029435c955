using Edge.Geometry;
using Edge.Tracking;

namespace Edge.FollowMe;

/// <summary>Optional per-frame inputs of <see cref="TargetLock.Update(System.ReadOnlySpan{Edge.Tracking.TrackView}, in FollowFrameInput)"/>.</summary>
/// <param name="CameraMotion">Previous-to-current frame warp (identity when unknown); applied to the lock's own
/// prediction so it coasts in image coordinates of the current frame.</param>
/// <param name="Appearance">Row-major appearance vectors, one row of <paramref name="AppearanceDimension"/> floats
/// per track in the order of the tracks passed to the same update (a re-id embedding or a colour histogram,
/// see Edge.Vision's appearance embedders), L2-normalised; a row of zeros means "unknown for this track".</param>
/// <param name="AppearanceDimension">Row length, 0 when no appearance is given.</param>
/// <param name="FreshAppearance">Per track, true when its row was computed from this frame's pixels, false when it
/// repeats an earlier view (a re-id budget fills the tracks it skipped with their gallery mean); empty when every row
/// is fresh. Only fresh rows are new views of the target.</param>
/// <param name="frameStep">Source frames since the previous update: 1 unless frames were dropped (a live pipeline
/// processes the newest frame and skips the ones it had no time for). The lock's clocks (search, coasting, point wait)
/// and its constant-velocity prediction advance by it, so they keep their meaning in seconds at
/// <see cref="FollowOptions.FrameRate"/> whatever the processing rate.</param>
public readonly ref struct FollowFrameInput(Affine2D cameraMotion, ReadOnlySpan<float> appearance, int appearanceDimension, ReadOnlySpan<bool> freshAppearance = default, int frameStep = 1)
{
    public Affine2D CameraMotion { get; } = cameraMotion;

    public ReadOnlySpan<float> Appearance { get; } = appearance;

    public int AppearanceDimension { get; } = appearanceDimension;

    public ReadOnlySpan<bool> FreshAppearance { get; } = freshAppearance;

    private readonly int _frameStep = frameStep >= 1 ? frameStep : throw new ArgumentOutOfRangeException(nameof(frameStep), frameStep, "must be at least 1");

    /// <summary>At least 1 (a default instance counts as 1).</summary>
    public int FrameStep => Math.Max(1, _frameStep);

    public static FollowFrameInput None => new(Affine2D.Identity, [], 0);

    public ReadOnlySpan<float> Row(int trackIndex) =>
        AppearanceDimension > 0 ? Appearance.Slice(trackIndex * AppearanceDimension, AppearanceDimension) : [];

    public bool IsFresh(int trackIndex) => FreshAppearance.IsEmpty || FreshAppearance[trackIndex];

    /// <summary>Writes <see cref="Appearance"/> rows for <paramref name="tracks"/> into <paramref name="output"/>
    /// (tracks × <paramref name="dimension"/>) from the rows of the frame's detections: a matched track gets its
    /// detection's row, any other track zeros (unknown).</summary>
    public static void WriteTrackRows(ReadOnlySpan<TrackView> tracks, ReadOnlySpan<float> detectionRows, int dimension, Span<float> output)
    {
        for (int i = 0; i < tracks.Length; i++)
        {
            var row = output.Slice(i * dimension, dimension);
            int d = tracks[i].DetectionIndex;
            if (tracks[i].IsMatched && (d + 1) * dimension <= detectionRows.Length)
            {
                detectionRows.Slice(d * dimension, dimension).CopyTo(row);
            }
            else
            {
                row.Clear();
            }
        }
    }

    /// <summary>Writes <see cref="FreshAppearance"/> for <paramref name="tracks"/> from the flags of the frame's
    /// detections (<paramref name="detectionFresh"/>, not empty): a matched track takes its detection's flag, any
    /// other track is not fresh.</summary>
    public static void WriteTrackFreshness(ReadOnlySpan<TrackView> tracks, ReadOnlySpan<bool> detectionFresh, Span<bool> output)
    {
        for (int i = 0; i < tracks.Length; i++)
        {
            int d = tracks[i].DetectionIndex;
            output[i] = tracks[i].IsMatched && (uint)d < (uint)detectionFresh.Length && detectionFresh[d];
        }
    }
}
