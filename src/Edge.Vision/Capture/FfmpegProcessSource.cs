using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OpenCvSharp;

namespace Edge.Capture;

/// <summary>Frames from a network stream decoded by an <c>ffmpeg</c> child process that writes raw BGR24 frames to its
/// standard output. Used because the official OpenCvSharp runtime for linux-x64 bundles an FFmpeg built without network
/// protocols (no tcp/udp/http/rtsp: checked with <c>strings libOpenCvSharpExtern.so | grep _protocol</c>), and because
/// a child process gives hard timeouts: opening is bounded by killing ffmpeg when no output stream appears in time, and
/// every read is guarded by a watchdog that kills ffmpeg when no frame arrives within the read timeout, so a hung
/// RTSP/HTTP read ends instead of blocking the capture thread forever. Frames are read straight into the caller's Mat
/// (no per-frame allocation).</summary>
public sealed partial class FfmpegProcessSource : IFrameSource
{
    private const double DefaultFps = 25;
    private readonly Process _process;
    private readonly Stream _stdout;
    private readonly Timer _watchdog;
    private readonly TimeSpan _readTimeout;
    private readonly StderrLog _log;
    private long _next;
    private readonly LiveFrameClock _clock = new();
    private volatile bool _timedOut;

    private FfmpegProcessSource(string name, Process process, StderrLog log, int width, int height, double fps, TimeSpan readTimeout)
    {
        Name = name;
        _process = process;
        _stdout = process.StandardOutput.BaseStream;
        _log = log;
        Width = width;
        Height = height;
        Fps = fps;
        _readTimeout = readTimeout;
        _watchdog = new Timer(static s => ((FfmpegProcessSource)s!).OnReadTimeout(), this, Timeout.Infinite, Timeout.Infinite);
    }

    public string Name { get; }

    public int Width { get; }

    public int Height { get; }

    public double Fps { get; }

    public int? FrameCount => null;

    public bool IsLive => true;

    /// <summary>Why the last read failed (read timeout or ffmpeg's last error line); null while reads succeed.</summary>
    public string? LastError { get; private set; }

    /// <summary>The ffmpeg executable on PATH, or null.</summary>
    public static string? FindFfmpeg()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, "ffmpeg");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Starts ffmpeg on <paramref name="url"/> and waits until it reports its output stream (size and frame
    /// rate). Throws <see cref="EdgeException"/> with ffmpeg's last message when it exits or the open timeout passes.</summary>
    public static FfmpegProcessSource Open(string url, TimeSpan openTimeout, TimeSpan readTimeout, string? ffmpeg = null)
    {
        ffmpeg ??= FindFfmpeg() ?? throw new EdgeException($"cannot open source '{url}': ffmpeg not found on PATH (install the ffmpeg package)");
        var psi = new ProcessStartInfo(ffmpeg)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };
        foreach (string arg in new[]
        {
            "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
            // Low-latency input: no input buffering, a short probe.
            "-fflags", "nobuffer", "-analyzeduration", "500000", "-probesize", "500000",
            "-i", url, "-an", "-sn", "-dn", "-f", "rawvideo", "-pix_fmt", "bgr24", "pipe:1",
        })
        {
            psi.ArgumentList.Add(arg);
        }
        var log = new StderrLog();
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.ErrorDataReceived += (_, e) => log.Add(e.Data);
        process.Exited += (_, _) => log.Exited();
        if (!process.Start())
        {
            process.Dispose();
            throw new EdgeException($"cannot open source '{url}': ffmpeg did not start");
        }
        process.BeginErrorReadLine();
        if (!log.OutputKnown.Wait(openTimeout) || log.Output is not (int w, int h, double fps))
        {
            string reason = log.OutputKnown.IsSet
                ? $"ffmpeg: {log.LastLine ?? "exited without output"}"
                : $"no video within {openTimeout.TotalMilliseconds:0} ms";
            Kill(process);
            process.Dispose();
            throw new EdgeException($"cannot open source '{url}': {reason}");
        }
        return new FfmpegProcessSource(url, process, log, w, h, fps, readTimeout);
    }

    public bool TryRead(Mat frame, out FrameStamp stamp)
    {
        stamp = default;
        frame.Create(Height, Width, MatType.CV_8UC3);
        Span<byte> pixels = frame.AsSpan<byte>();
        if (pixels.Length != Width * Height * 3)
        {
            throw new InvalidOperationException("frame Mat is not continuous");
        }
        _watchdog.Change(_readTimeout, Timeout.InfiniteTimeSpan);
        int read;
        try
        {
            read = _stdout.ReadAtLeast(pixels, pixels.Length, throwOnEndOfStream: false);
        }
        catch (IOException ex)
        {
            read = 0;
            LastError = ex.Message;
        }
        finally
        {
            _watchdog.Change(Timeout.Infinite, Timeout.Infinite);
        }
        if (read < pixels.Length)
        {
            LastError = _timedOut ? $"no frame within {_readTimeout.TotalMilliseconds:0} ms (read timeout)" : $"ffmpeg: {_log.LastLine ?? "stream ended"}";
            return false;
        }
        long index = _next++;
        stamp = new FrameStamp(index, _clock.Stamp(index));
        return true;
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(2000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnReadTimeout()
    {
        _timedOut = true;
        Kill(_process);
    }

    // ffmpeg's stream line, e.g. "  Stream #0:0: Video: rawvideo (BGR[24] / 0x18524742), bgr24, 160x120 [SAR 1:1 DAR 4:3], q=2-31, 11520 kb/s, 25 fps, 25 tbn".
    [GeneratedRegex(@"Video:.*?,\s(\d{1,5})x(\d{1,5})[\s,\[]")]
    private static partial Regex VideoSize();

    [GeneratedRegex(@"([\d.]+)\s(?:fps|tbr)")]
    private static partial Regex FrameRate();

    /// <summary>ffmpeg's stderr during start-up: finds the output stream's size and rate, keeps the last line for errors.</summary>
    private sealed class StderrLog
    {
        private readonly Lock _gate = new();
        private bool _inOutput;
        private double _inputFps;

        public ManualResetEventSlim OutputKnown { get; } = new();

        public (int Width, int Height, double Fps)? Output { get; private set; }

        public string? LastLine { get; private set; }

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_gate)
            {
                if (line.Trim().Length > 0)
                {
                    LastLine = line.Trim();
                }
                if (Output is not null)
                {
                    return;
                }
                if (line.StartsWith("Output #0", StringComparison.Ordinal))
                {
                    _inOutput = true;
                    return;
                }
                if (!line.Contains("Video:", StringComparison.Ordinal))
                {
                    return;
                }
                Match rate = FrameRate().Match(line);
                double fps = rate.Success && double.TryParse(rate.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && f is > 0 and < 1000 ? f : 0;
                if (!_inOutput)
                {
                    _inputFps = fps;
                    return;
                }
                Match size = VideoSize().Match(line);
                if (size.Success)
                {
                    double chosen = fps > 0 ? fps : _inputFps > 0 ? _inputFps : DefaultFps;
                    Output = (int.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(size.Groups[2].Value, CultureInfo.InvariantCulture), chosen);
                    OutputKnown.Set();
                }
            }
        }

        public void Exited() => OutputKnown.Set();
    }
}
