using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Edge.Capture;
using Edge.Pipeline;
using Edge.Tests.Pipeline;
using OpenCvSharp;

namespace Edge.Tests.Capture;

public class LiveReconnectTests
{
    private static readonly SourceOptions FastReconnect = new()
    {
        OpenTimeout = TimeSpan.FromSeconds(4),
        ReadTimeout = TimeSpan.FromSeconds(2),
        Reconnect = new ReconnectOptions
        {
            RetryFirstOpen = true,
            Backoff = new BackoffOptions { Initial = TimeSpan.FromMilliseconds(200), Max = TimeSpan.FromSeconds(1), Jitter = 0.2 },
        },
    };

    [Fact]
    public async Task PipelineReconnectsWithBackoffWhenFfmpegIsKilledAndRestarted()
    {
        using var server = new FfmpegStreamServer();
        using var source = FrameSourceFactory.Open(server.Url, FastReconnect);
        var status = source.Status;
        Assert.True(source.IsLive);
        var sink = new RecordingSink();
        var pipeline = new DetectionPipeline(new ScriptedDetector(inferMilliseconds: 10), [], [sink]);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        long framesAtKill = -1;
        long framesWhileDown = long.MaxValue;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pipeline.FrameCompleted = r =>
        {
            long done = pipeline.Current!.Frames;
            if (framesAtKill < 0 && done >= 15)
            {
                framesAtKill = done;
                killed.TrySetResult();
            }
            else if (status.Reconnects > 0 && status.State == SourceState.Streaming && done >= Interlocked.Read(ref framesWhileDown) + 15)
            {
                resumed.TrySetResult();
            }
        };
        var clock = Stopwatch.StartNew();
        Task<PipelineStatistics> run = pipeline.RunAsync(source, cts.Token);

        await killed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        server.Kill();
        // The read fails (EOF or read timeout), the source reports the outage and retries against a closed port.
        await Eventually(() => status.State == SourceState.Reconnecting, TimeSpan.FromSeconds(10));
        await Eventually(() => status.FailedAttempts >= 2, TimeSpan.FromSeconds(10));
        Assert.Equal(SourceState.Reconnecting, status.State);
        Interlocked.Exchange(ref framesWhileDown, pipeline.Current!.Frames);
        server.Start();
        await resumed.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await cts.CancelAsync();
        var stats = await run;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.Equal(1, status.Reconnects);
        Assert.True(status.FailedAttempts >= 2, $"failed attempts {status.FailedAttempts}");
        Assert.NotNull(status.LastError);
        Assert.True(stats.Frames >= framesWhileDown + 15, $"{stats.Frames} frames, {framesWhileDown} before the restart");
        Assert.Equal(stats.Frames, sink.Frames.Count);
        // Indices keep increasing across the reconnect (the wrapper renumbers), and so do the wall-clock stamps.
        for (int i = 1; i < sink.Frames.Count; i++)
        {
            Assert.True(sink.Frames[i].Index > sink.Frames[i - 1].Index);
            Assert.True(sink.Frames[i].Seconds >= sink.Frames[i - 1].Seconds);
        }
        // The outage shows as a gap in source time of at least the backoff that was waited out.
        double maxGap = Enumerable.Range(1, sink.Frames.Count - 1).Max(i => sink.Frames[i].Seconds - sink.Frames[i - 1].Seconds);
        Assert.True(maxGap >= 0.2, $"largest gap {maxGap:0.000} s");
        Assert.Equal(stats.FramesCaptured, status.FramesRead);
        Assert.Equal(stats.FramesDropped, status.FramesDropped);
        Assert.Equal(SourceState.Ended, status.State);
        Assert.Equal(2, server.Starts);
    }

    [Fact]
    public void OpeningAStreamThatNeverAnswersFailsAfterTheOpenTimeout()
    {
        // A TCP server that accepts and stays silent: without a timeout the HTTP client would wait forever.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/cam.mjpg";
        var clock = Stopwatch.StartNew();
        var ex = Assert.Throws<EdgeException>(() => FfmpegProcessSource.Open(url, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1)));
        Assert.Equal($"cannot open source '{url}': no video within 1500 ms", ex.Message);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.4, 8);
    }

    [Fact]
    public void AStreamThatStallsFailsTheReadAfterTheReadTimeout()
    {
        using var server = new FfmpegStreamServer();
        using var source = OpenWithRetry(server.Url);
        Assert.Equal(160, source.Width);
        Assert.Equal(120, source.Height);
        Assert.Equal(25, source.Fps, 3);
        using var frame = new Mat();
        for (int i = 0; i < 5; i++)
        {
            Assert.True(source.TryRead(frame, out var stamp));
            Assert.Equal(i, stamp.Index);
        }
        Assert.Equal(new Size(160, 120), frame.Size());
        // testsrc2 is colourful: the frame is not blank.
        Assert.True(Cv2.Mean(frame).Val0 > 10);

        server.Freeze();
        var clock = Stopwatch.StartNew();
        int extra = 0;
        while (source.TryRead(frame, out _))
        {
            // Frames already in the pipes still arrive.
            Assert.True(++extra < 100, "frames kept coming from a frozen server");
        }
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 5);
        Assert.Equal("no frame within 1000 ms (read timeout)", source.LastError);
    }

    [Fact]
    public void AnUnreachableStreamNamesFfmpegsReason()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        string url = $"http://127.0.0.1:{port}/cam.mjpg";
        var ex = Assert.Throws<EdgeException>(() => FrameSourceFactory.Open(url, new SourceOptions { OpenTimeout = TimeSpan.FromSeconds(5) }));
        Assert.StartsWith($"cannot open source '{url}': ffmpeg: ", ex.Message);
        Assert.Contains("refused", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    private static FfmpegProcessSource OpenWithRetry(string url)
    {
        // ffmpeg needs a moment before it listens.
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return FfmpegProcessSource.Open(url, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
            }
            catch (EdgeException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }
            await Task.Delay(20);
        }
    }
}
