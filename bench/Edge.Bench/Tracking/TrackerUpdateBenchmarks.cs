using BenchmarkDotNet.Attributes;
using Edge.Geometry;
using Edge.Tracking;
using DetectionRecord = Edge.Detection.Detection;

namespace Edge.Bench.Tracking;

/// <summary>Cost of one tracker update with 50 detections and 50 live tracks (target ≤ 100 µs, 0 B allocated after
/// warm-up). 50 people on a grid sway back and forth (periodic, so the frame loop has no jump), with box jitter,
/// scores spread over the high and low bands and 5 % missed detections.
/// Run: <c>dotnet run -c Release --project bench/Edge.Bench -- --filter '*TrackerUpdate*'</c>.</summary>
[MemoryDiagnoser]
public class TrackerUpdateBenchmarks
{
    private const int People = 50;
    private const int Period = 240;
    private DetectionRecord[][] _frames = [];
    private ByteTracker _byteDefault = null!;
    private ByteTracker _byteReference = null!;
    private SortTracker _sort = null!;
    private int _frame;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _frames = new DetectionRecord[Period][];
        for (int f = 0; f < Period; f++)
        {
            var dets = new List<DetectionRecord>(People);
            for (int i = 0; i < People; i++)
            {
                if (rng.NextDouble() < 0.05)
                {
                    continue;
                }
                float x = 40 + (i % 10 * 180) + (40 * MathF.Sin((2 * MathF.PI * f / Period) + i));
                float y = 60 + (i / 10 * 200) + (float)(rng.NextDouble() * 3);
                float score = (float)(0.2 + (0.75 * rng.NextDouble()));
                dets.Add(new DetectionRecord(BoxF.FromXywh(x + (float)(rng.NextDouble() * 3), y, 60, 150), score, 0));
            }
            _frames[f] = [.. dets];
        }
        _byteDefault = new ByteTracker(TrackerOptions.Default, 30);
        _byteReference = new ByteTracker(TrackerOptions.Reference, 30);
        _sort = new SortTracker();
        for (int f = 0; f < 2 * Period; f++)
        {
            _byteDefault.Update(_frames[f % Period], TrackerFrameContext.None);
            _byteReference.Update(_frames[f % Period], TrackerFrameContext.None);
            _sort.Update(_frames[f % Period], TrackerFrameContext.None);
        }
    }

    private DetectionRecord[] Next() => _frames[_frame++ % Period];

    [Benchmark(Baseline = true)]
    public int ByteTrackerDefault() => _byteDefault.Update(Next(), TrackerFrameContext.None).Length;

    [Benchmark]
    public int ByteTrackerReference() => _byteReference.Update(Next(), TrackerFrameContext.None).Length;

    [Benchmark]
    public int Sort() => _sort.Update(Next(), TrackerFrameContext.None).Length;
}
