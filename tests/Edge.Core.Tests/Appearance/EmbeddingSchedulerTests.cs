using Edge.Appearance;
using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.Appearance;

public class EmbeddingSchedulerTests
{
    private static TrackView Track(int id, BoxF box, int detection) =>
        new(id, box, 0.9f, 0, TrackState.Confirmed, 0, detection, 0, 0);

    private static readonly BoxF A = new(0, 0, 50, 100);
    private static readonly BoxF B = new(200, 0, 250, 100);
    private static readonly BoxF C = new(400, 0, 450, 100);

    [Fact]
    public void NewDetectionsComeFirstAndFreshTracksAreSkipped()
    {
        var s = new EmbeddingScheduler(new EmbeddingScheduleOptions { Budget = 8, RefreshFrames = 10 });
        var gallery = new TrackGallery(2);
        gallery.Add(1, [1f, 0f], frame: 9);
        gallery.Add(2, [0f, 1f], frame: 0);
        s.Observe([Track(1, A, 0), Track(2, B, 1)]);
        bool[] selected = new bool[3];
        // Frame 10: track 1 was embedded 1 frame ago (skip), track 2 ten frames ago (refresh), C is new.
        int n = s.Select([A, B, C], [true, true, true], gallery, frame: 10, targetTrackId: 0, searching: false, selected);
        Assert.Equal(2, n);
        Assert.Equal([false, true, true], selected);
    }

    [Fact]
    public void BudgetKeepsTheTargetAndNewOnesBeforeRefreshes()
    {
        var s = new EmbeddingScheduler(new EmbeddingScheduleOptions { Budget = 2, RefreshFrames = 1 });
        var gallery = new TrackGallery(2);
        gallery.Add(1, [1f, 0f], frame: 0);
        gallery.Add(2, [0f, 1f], frame: 0);
        s.Observe([Track(1, A, 0), Track(2, B, 1)]);
        bool[] selected = new bool[3];
        // Track 2 is the Follow Me target, C is new, track 1 only needs a refresh: it loses to the budget.
        s.Select([A, B, C], [true, true, true], gallery, frame: 5, targetTrackId: 2, searching: false, selected);
        Assert.Equal([false, true, true], selected);
        // Ineligible boxes (another class) are never embedded.
        s.Select([A, B, C], [true, true, false], gallery, frame: 5, targetTrackId: 0, searching: false, selected);
        Assert.Equal([true, true, false], selected);
    }

    [Fact]
    public void OverlappingTracksMakeADetectionAmbiguous()
    {
        var s = new EmbeddingScheduler(new EmbeddingScheduleOptions { Budget = 4, RefreshFrames = 100 });
        var gallery = new TrackGallery(2);
        gallery.Add(1, [1f, 0f], frame: 0);
        gallery.Add(2, [0f, 1f], frame: 0);
        var near = new BoxF(20, 0, 70, 100); // two people crossing: IoU 0.43 with A
        s.Observe([Track(1, A, 0), Track(2, near, 1)]);
        bool[] selected = new bool[1];
        Assert.Equal(1, s.Select([A], [true], gallery, frame: 1, targetTrackId: 0, searching: false, selected));
        s.Observe([Track(1, A, 0)]);
        Assert.Equal(0, s.Select([A], [true], gallery, frame: 2, targetTrackId: 0, searching: false, selected));
    }
}
