using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Edge.Capture;
using Edge.Detection;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>Runs a detector over a frame source with the stages overlapped on tasks joined by bounded channels:
/// <c>decode + preprocess</c> → <c>inference</c> → <c>postprocess + analyzers + sinks</c>.
/// Preprocessing stays on the decode task because on a 2-core device a fourth busy thread only competes with ONNX
/// Runtime's intra-op pool (docs/performance.md). A fixed set of <see cref="PipelineFrame"/>s (Mat + detector slot +
/// result) cycles through a pool channel, which is also the back-pressure: in lossless mode (files) decoding waits
/// when all frames are in flight, so no frame is dropped and steady state allocates nothing per frame.
/// <para>Live sources (and files with <see cref="DetectionPipelineOptions.Realtime"/>) add a capture thread that
/// reads continuously into a few pooled Mats and hands them over through a one-slot
/// <see cref="BoundedChannelFullMode.DropOldest"/> channel: the detector always gets the newest frame, and frames it
/// had no time for are dropped and counted (<see cref="PipelineStatistics.FramesDropped"/>). With
/// <see cref="SinkOverflow.Drop"/> each sink runs behind its own bounded queue, so a slow sink drops its own frames
/// instead of stalling capture or inference.</para></summary>
public sealed class DetectionPipeline
{
    private readonly IObjectDetector _detector;
    private readonly IReadOnlyList<IFrameAnalyzer> _analyzers;
    private readonly IReadOnlyList<IFrameSink> _sinks;
    private readonly DetectionPipelineOptions _options;
    private volatile PipelineStatistics? _current;

    public DetectionPipeline(
        IObjectDetector detector,
        IReadOnlyList<IFrameAnalyzer> analyzers,
        IReadOnlyList<IFrameSink> sinks,
        DetectionPipelineOptions? options = null)
    {
        _detector = detector;
        _analyzers = analyzers;
        _sinks = sinks;
        _options = options ?? new DetectionPipelineOptions();
        _options.Validate();
    }

    /// <summary>The statistics of the run in progress (or the last one): frame, drop and per-sink counters can be
    /// read live for health and metrics. Null before the first run.</summary>
    public PipelineStatistics? Current => _current;

    /// <summary>Called on the output thread after the sinks have seen a frame (progress bars, live fps).</summary>
    public Action<FrameResult>? FrameCompleted { get; set; }

    /// <summary>Processes the source until it ends, <see cref="DetectionPipelineOptions.MaxFrames"/> is reached or
    /// <paramref name="cancellationToken"/> fires. On cancellation decoding stops, frames already in flight finish,
    /// sinks are completed (flushed and closed) and the statistics so far are returned; check the token to tell a
    /// cancelled run from a finished one. Any stage failure stops the others and is rethrown. In live mode a
    /// <see cref="ReconnectingFrameSource"/> is stopped when the run ends (its backoff wait is cut short).</summary>
    public async Task<PipelineStatistics> RunAsync(IFrameSource source, CancellationToken cancellationToken = default)
    {
        long expected = source.FrameCount is int n && n > 0 ? n : _options.StatisticsCapacity;
        if (_options.MaxFrames is long max)
        {
            expected = Math.Min(expected, max);
        }
        bool latestOnly = source.IsLive || _options.Realtime;
        SinkOverflow overflow = _options.SinkOverflow == SinkOverflow.Auto ? (latestOnly ? SinkOverflow.Drop : SinkOverflow.Wait) : _options.SinkOverflow;
        var sinkStatistics = _sinks.Select(s => new SinkStatistics(s.GetType().Name)).ToArray();
        var statistics = new PipelineStatistics((int)Math.Clamp(expected, 1, _options.StatisticsCapacity * 16L), sinkStatistics);
        _current = statistics;
        int depth = _options.FramesInFlight;
        var frames = new PipelineFrame[depth];
        SinkQueue?[] queues = new SinkQueue?[_sinks.Count];
        // A null item is a wake-up (see WakeOn).
        var pool = Channel.CreateBounded<PipelineFrame?>(new BoundedChannelOptions(depth) { SingleReader = true });
        var toInfer = Channel.CreateBounded<PipelineFrame?>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        var toOutput = Channel.CreateBounded<PipelineFrame?>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var failure = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, failure.Token);
        using var wakeDecode = WakeOn(stop.Token, pool.Writer);
        using var wakeInfer = WakeOn(failure.Token, toInfer.Writer);
        using var wakeOutput = WakeOn(failure.Token, toOutput.Writer);
        try
        {
            for (int i = 0; i < depth; i++)
            {
                frames[i] = new PipelineFrame(_detector.CreateSlot());
                pool.Writer.TryWrite(frames[i]);
            }
            if (overflow == SinkOverflow.Drop)
            {
                for (int i = 0; i < _sinks.Count; i++)
                {
                    queues[i] = new SinkQueue(_sinks[i], _options.SinkQueueCapacity, sinkStatistics[i]);
                }
            }
            long start = Stopwatch.GetTimestamp();
            Task decode = Task.Run(() => DecodeAsync(source, latestOnly, pool.Reader, toInfer.Writer, statistics, stop.Token, failure), CancellationToken.None);
            Task infer = Task.Run(() => InferAsync(toInfer.Reader, toOutput.Writer, failure), CancellationToken.None);
            Task output = Task.Run(() => OutputAsync(toOutput.Reader, pool.Writer, statistics, queues, start, failure), CancellationToken.None);
            try
            {
                await Task.WhenAll(decode, infer, output).ConfigureAwait(false);
            }
            catch (Exception) when (FirstRealFailure(decode, infer, output) is null && cancellationToken.IsCancellationRequested)
            {
                // Cancelled by the caller: in-flight frames were finished, sinks are completed below.
            }
            catch (Exception) when (FirstRealFailure(decode, infer, output) is { } real)
            {
                throw real;
            }
            statistics.Elapsed = Stopwatch.GetElapsedTime(start);
            return statistics;
        }
        finally
        {
            List<Exception>? completeErrors = null;
            for (int i = 0; i < _sinks.Count; i++)
            {
                try
                {
                    if (queues[i] is { } queue)
                    {
                        queue.Complete();
                    }
                    else
                    {
                        _sinks[i].Complete();
                    }
                }
                catch (Exception ex)
                {
                    (completeErrors ??= []).Add(ex);
                }
                finally
                {
                    queues[i]?.Dispose();
                }
            }
            foreach (var frame in frames)
            {
                frame?.Dispose();
            }
            if (completeErrors is { Count: > 0 })
            {
                throw completeErrors[0];
            }
        }
    }

    /// <summary>The stages wait on their channels without a token: a cancellable channel wait registers a callback
    /// and allocates an operation object on every wait (an uncancellable one reuses the reader's own), which on the
    /// per-frame waits is steady garbage. Instead, when <paramref name="token"/> fires, a null is written into the
    /// channel; a reader waiting on it has an empty channel, so the write goes in and wakes it, and the stage checks its
    /// token whenever it wakes.</summary>
    private static CancellationTokenRegistration WakeOn(CancellationToken token, ChannelWriter<PipelineFrame?> channel) =>
        token.UnsafeRegister(static c => ((ChannelWriter<PipelineFrame?>)c!).TryWrite(null), channel);

    /// <summary>The next frame waiting in <paramref name="channel"/>, skipping wake-ups; throws once
    /// <paramref name="token"/> has fired (the wake-ups are written then).</summary>
    private static bool TryReadFrame(ChannelReader<PipelineFrame?> channel, CancellationToken token, [NotNullWhen(true)] out PipelineFrame? frame)
    {
        while (channel.TryRead(out frame))
        {
            token.ThrowIfCancellationRequested();
            if (frame is not null)
            {
                return true;
            }
        }
        return false;
    }

    private static Exception? FirstRealFailure(params Task[] tasks)
    {
        foreach (var task in tasks)
        {
            if (task.Exception?.InnerException is { } ex and not OperationCanceledException)
            {
                return ex;
            }
        }
        return null;
    }

    /// <summary>The decode stage. Lossless (files): reads the source directly into a free pipeline frame, waiting for
    /// one when all are in flight. Newest-frame (<paramref name="newestOnly"/>): a <see cref="NewestFrameCapture"/>
    /// thread reads the source continuously, and this task takes its newest frame whenever a pipeline frame is free.</summary>
    private async Task DecodeAsync(
        IFrameSource source,
        bool newestOnly,
        ChannelReader<PipelineFrame?> pool,
        ChannelWriter<PipelineFrame?> toInfer,
        PipelineStatistics statistics,
        CancellationToken stop,
        CancellationTokenSource failure)
    {
        Exception? error = null;
        NewestFrameCapture? newest = newestOnly ? new NewestFrameCapture(source, _options.Realtime && !source.IsLive, statistics, stop) : null;
        try
        {
            var decodeStats = statistics[PipelineStage.Decode];
            var preprocessStats = statistics[PipelineStage.Preprocess];
            long limit = _options.MaxFrames ?? long.MaxValue;
            var steps = new FrameStepCounter();
            for (long count = 0; count < limit && !stop.IsCancellationRequested; count++)
            {
                PipelineFrame? frame = await pool.ReadAsync().ConfigureAwait(false);
                stop.ThrowIfCancellationRequested();
                if (frame is null)
                {
                    continue; // wake-ups are written only once stop has fired (thrown above)
                }
                FrameStamp stamp;
                if (newest is null)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    if (!source.TryRead(frame.Image, out stamp))
                    {
                        break;
                    }
                    statistics.RecordCaptured();
                    decodeStats.Record(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
                else
                {
                    bool captured = await newest.WaitToReadAsync().ConfigureAwait(false);
                    stop.ThrowIfCancellationRequested();
                    if (!captured || !newest.TryTake(frame, out stamp))
                    {
                        break;
                    }
                }
                Preprocess(frame, stamp, steps.Next(stamp, source.Fps), preprocessStats);
                await toInfer.WriteAsync(frame, failure.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !failure.IsCancellationRequested)
        {
            // Caller cancelled (while waiting for a free or a captured frame): stop decoding, let in-flight frames finish.
        }
        catch (Exception ex)
        {
            error = ex;
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (newest is not null)
            {
                await newest.DisposeAsync().ConfigureAwait(false);
            }
            toInfer.TryComplete(error);
        }
    }

    private void Preprocess(PipelineFrame frame, FrameStamp stamp, int frameStep, StageStatistics preprocessStats)
    {
        long t0 = Stopwatch.GetTimestamp();
        frame.Result.Begin(stamp, frame.Image.Width, frame.Image.Height, frameStep);
        _detector.Preprocess(frame.Image, frame.Slot);
        frame.PreprocessMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        preprocessStats.Record(frame.PreprocessMs);
    }

    private async Task InferAsync(ChannelReader<PipelineFrame?> toInfer, ChannelWriter<PipelineFrame?> toOutput, CancellationTokenSource failure)
    {
        Exception? error = null;
        try
        {
            while (await toInfer.WaitToReadAsync().ConfigureAwait(false))
            {
                while (TryReadFrame(toInfer, failure.Token, out PipelineFrame? frame))
                {
                    long t0 = Stopwatch.GetTimestamp();
                    _detector.Infer(frame.Slot);
                    frame.InferenceMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                    await toOutput.WriteAsync(frame, failure.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            error = ex;
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            toOutput.TryComplete(error);
        }
    }

    private async Task OutputAsync(
        ChannelReader<PipelineFrame?> toOutput,
        ChannelWriter<PipelineFrame?> pool,
        PipelineStatistics statistics,
        SinkQueue?[] queues,
        long start,
        CancellationTokenSource failure)
    {
        var inference = statistics[PipelineStage.Inference];
        var postprocess = statistics[PipelineStage.Postprocess];
        var analysis = statistics[PipelineStage.Analysis];
        var sinks = statistics[PipelineStage.Sinks];
        var fpsMeter = new FpsMeter(start);
        try
        {
            while (await toOutput.WaitToReadAsync().ConfigureAwait(false))
            {
                while (TryReadFrame(toOutput, failure.Token, out PipelineFrame? frame))
                {
                    inference.Record(frame.InferenceMs);
                    FrameResult result = frame.Result;
                    Mat image = frame.Image;
                    long t0 = Stopwatch.GetTimestamp();
                    _detector.Postprocess(frame.Slot, result.Detections);
                    long t1 = Stopwatch.GetTimestamp();
                    result.PipelineFps = fpsMeter.Tick(t1);
                    for (int i = 0; i < _analyzers.Count; i++)
                    {
                        _analyzers[i].Analyze(result, image);
                    }
                    long t2 = Stopwatch.GetTimestamp();
                    for (int i = 0; i < _sinks.Count; i++)
                    {
                        if (queues[i] is { } queue)
                        {
                            // Copies the frame, or drops it for this sink when its queue is full.
                            queue.Offer(result, image);
                        }
                        else
                        {
                            _sinks[i].OnFrame(result, image);
                            statistics.Sinks[i].RecordDelivered();
                        }
                    }
                    long t3 = Stopwatch.GetTimestamp();
                    postprocess.Record(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    analysis.Record(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    sinks.Record(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                    statistics.RecordFrame();
                    FrameCompleted?.Invoke(result);
                    pool.TryWrite(frame);
                }
            }
        }
        catch (Exception)
        {
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
