using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Edge.Tests.Capture;

/// <summary>A real ffmpeg serving a synthetic live stream (lavfi testsrc2, paced with -re) as multipart MJPEG over HTTP
/// on a loopback port, like an IP camera's MJPEG endpoint: ffmpeg is the HTTP server (<c>-listen 1</c>, one client) and
/// OpenCV's FFmpeg backend connects as the client. (MPEG-TS over TCP also works, but FFmpeg's stream probing takes
/// about 6 s on it before the first frame; MJPEG probes in under a second: measured with ffprobe.) <see cref="Kill"/> is SIGKILL (a crashed camera); <see cref="Start"/> brings it back on the
/// same port.</summary>
internal sealed class FfmpegStreamServer : IDisposable
{
    public const string Executable = "/usr/bin/ffmpeg";

    private Process? _process;

    public FfmpegStreamServer(int fps = 25)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException($"{Executable} is missing; install it with scripts/ensure-deps (Debian package ffmpeg).", Executable);
        }
        Fps = fps;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        Start();
    }

    public int Port { get; }

    public int Fps { get; }

    public string Url => $"http://127.0.0.1:{Port}/cam.mjpg";

    public int Starts { get; private set; }

    /// <summary>Starts ffmpeg; it listens until a client connects, then streams in real time.</summary>
    public void Start()
    {
        var psi = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in new[]
        {
            "-hide_banner", "-loglevel", "error", "-nostdin", "-re",
            "-f", "lavfi", "-i", $"testsrc2=size=160x120:rate={Fps}",
            "-c:v", "mjpeg", "-q:v", "5",
            "-f", "mpjpeg", "-listen", "1", Url,
        })
        {
            psi.ArgumentList.Add(arg);
        }
        _process = Process.Start(psi) ?? throw new InvalidOperationException("ffmpeg did not start");
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        Starts++;
    }

    /// <summary>SIGSTOP: the connection stays open but no more bytes come, as with a hung camera or a stalled network.</summary>
    public void Freeze() => Signal("-STOP");

    /// <summary>SIGKILL, as when a camera loses power: no clean end of stream.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            Signal("-CONT");
            p.Kill();
            p.WaitForExit(5000);
        }
        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private void Signal(string signal)
    {
        if (_process is not { HasExited: false } p)
        {
            return;
        }
        using var kill = Process.Start("/bin/kill", [signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
