using System.Diagnostics;
using System.Threading.Channels;
using Edge.Capture;
using Edge.Detection;
using Edge.Sinks;
using OpenCvSharp;

namespace Edge.Pipeline;

/// <summary>Runs a detector over a frame source with the stages overlapped on three tasks joined by bounded channels:
/// <c>decode + preprocess</c> → <c>inference</c> → <c>postprocess + analyzers + sinks</c>.
/// Preprocessing stays on the decode task because on a 2-core device a fourth busy thread only competes with ONNX
/// Runtime's intra-op pool (docs/performance.md). A fixed set of <see cref="PipelineFrame"/>s (Mat + detector slot +
/// result) cycles through a pool channel, which is also the back-pressure: decoding waits when all frames are in
/// flight, so file sources never drop frames and steady state allocates nothing per frame.</summary>
public sealed class DetectionPipeline
{
    private readonly IObjectDetector _detector;
    private readonly IReadOnlyList<IFrameAnalyzer> _analyzers;
    private readonly IReadOnlyList<IFrameSink> _sinks;
    private readonly DetectionPipelineOptions _options;

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
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.FramesInFlight, 1);
    }

    /// <summary>Called on the output thread after the sinks have seen a frame (progress bars, live fps).</summary>
    public Action<FrameResult>? FrameCompleted { get; set; }

    /// <summary>Processes the source until it ends, <see cref="DetectionPipelineOptions.MaxFrames"/> is reached or
    /// <paramref name="cancellationToken"/> fires. On cancellation decoding stops, frames already in flight finish,
    /// sinks are completed (flushed and closed) and the statistics so far are returned; check the token to tell a
    /// cancelled run from a finished one. Any stage failure stops the others and is rethrown.</summary>
    public async Task<PipelineStatistics> RunAsync(IFrameSource source, CancellationToken cancellationToken = default)
    {
        long expected = source.FrameCount is int n && n > 0 ? n : _options.StatisticsCapacity;
        if (_options.MaxFrames is long max)
        {
            expected = Math.Min(expected, max);
        }
        var statistics = new PipelineStatistics((int)Math.Clamp(expected, 1, _options.StatisticsCapacity * 16L));
        int depth = _options.FramesInFlight;
        var frames = new PipelineFrame[depth];
        var pool = Channel.CreateBounded<PipelineFrame>(new BoundedChannelOptions(depth) { SingleReader = true });
        var toInfer = Channel.CreateBounded<PipelineFrame>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        var toOutput = Channel.CreateBounded<PipelineFrame>(new BoundedChannelOptions(depth) { SingleReader = true, SingleWriter = true });
        using var failure = new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, failure.Token);
        try
        {
            for (int i = 0; i < depth; i++)
            {
                frames[i] = new PipelineFrame(_detector.CreateSlot());
                pool.Writer.TryWrite(frames[i]);
            }
            long start = Stopwatch.GetTimestamp();
            Task decode = Task.Run(() => DecodeAsync(source, pool.Reader, toInfer.Writer, statistics, stop.Token, failure), CancellationToken.None);
            Task infer = Task.Run(() => InferAsync(toInfer.Reader, toOutput.Writer, failure), CancellationToken.None);
            Task output = Task.Run(() => OutputAsync(toOutput.Reader, pool.Writer, statistics, start, failure), CancellationToken.None);
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
            foreach (var sink in _sinks)
            {
                try
                {
                    sink.Complete();
                }
                catch (Exception ex)
                {
                    (completeErrors ??= []).Add(ex);
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

    private async Task DecodeAsync(
        IFrameSource source,
        ChannelReader<PipelineFrame> pool,
        ChannelWriter<PipelineFrame> toInfer,
        PipelineStatistics statistics,
        CancellationToken stop,
        CancellationTokenSource failure)
    {
        Exception? error = null;
        try
        {
            var decodeStats = statistics[PipelineStage.Decode];
            var preprocessStats = statistics[PipelineStage.Preprocess];
            long limit = _options.MaxFrames ?? long.MaxValue;
            for (long count = 0; count < limit && !stop.IsCancellationRequested; count++)
            {
                PipelineFrame frame = await pool.ReadAsync(stop).ConfigureAwait(false);
                long t0 = Stopwatch.GetTimestamp();
                if (!source.TryRead(frame.Image, out FrameStamp stamp))
                {
                    break;
                }
                long t1 = Stopwatch.GetTimestamp();
                frame.Result.Begin(stamp, frame.Image.Width, frame.Image.Height);
                _detector.Preprocess(frame.Image, frame.Slot);
                long t2 = Stopwatch.GetTimestamp();
                frame.DecodeMs = Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds;
                frame.PreprocessMs = Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds;
                decodeStats.Record(frame.DecodeMs);
                preprocessStats.Record(frame.PreprocessMs);
                await toInfer.WriteAsync(frame, failure.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !failure.IsCancellationRequested)
        {
            // Caller cancelled while waiting for a free frame: stop decoding, let in-flight frames finish.
        }
        catch (Exception ex)
        {
            error = ex;
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            toInfer.TryComplete(error);
        }
    }

    private async Task InferAsync(ChannelReader<PipelineFrame> toInfer, ChannelWriter<PipelineFrame> toOutput, CancellationTokenSource failure)
    {
        Exception? error = null;
        try
        {
            while (await toInfer.WaitToReadAsync(failure.Token).ConfigureAwait(false))
            {
                while (toInfer.TryRead(out PipelineFrame? frame))
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
        ChannelReader<PipelineFrame> toOutput,
        ChannelWriter<PipelineFrame> pool,
        PipelineStatistics statistics,
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
            while (await toOutput.WaitToReadAsync(failure.Token).ConfigureAwait(false))
            {
                while (toOutput.TryRead(out PipelineFrame? frame))
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
                        _sinks[i].OnFrame(result, image);
                    }
                    long t3 = Stopwatch.GetTimestamp();
                    postprocess.Record(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                    analysis.Record(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                    sinks.Record(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                    statistics.Frames++;
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
