using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Edge.Service.Tests.Fixtures;

/// <summary>A real Debian mosquitto on a free loopback port, with a generated config. Stop sends SIGTERM (as
/// systemd would), so with persistence on the broker saves sessions and queued messages and a restart on the
/// same port resumes them.</summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";

    private readonly string _dir;
    private readonly string _config;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public MosquittoBroker(bool persistence = false)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException($"{Executable} is missing; install it with scripts/ensure-deps test (Debian package mosquitto).", Executable);
        }
        Port = FreePort.Next();
        _dir = Directory.CreateTempSubdirectory("edge-mosquitto-").FullName;
        _config = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllText(_config, string.Join('\n',
            $"listener {Port} 127.0.0.1",
            "allow_anonymous true",
            // Started as root (containers, CI), mosquitto would switch to user mosquitto and then could write neither
            // the log nor the persistence file into this 0700 directory; as anyone else the setting has no effect.
            $"user {Environment.UserName}",
            $"persistence {(persistence ? "true" : "false")}",
            $"persistence_location {_dir}/",
            "max_queued_messages 100000",
            $"log_dest file {Path.Combine(_dir, "mosquitto.log")}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            ""));
        Start();
    }

    public int Port { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The log file, then what mosquitto wrote to stdout/stderr (errors from before the log file opened).</summary>
    public string Log =>
        (File.Exists(Path.Combine(_dir, "mosquitto.log")) ? File.ReadAllText(Path.Combine(_dir, "mosquitto.log")) : "")
        + string.Join('\n', _output);

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }
        var psi = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(_config);
        _process = Process.Start(psi) ?? throw new InvalidOperationException("mosquitto did not start");
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode} on port {Port}: {Log}");
            }
            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (sw.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(20);
            }
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>Graceful stop (SIGTERM), falling back to SIGKILL after 5 s.</summary>
    public void Stop()
    {
        if (_process is null)
        {
            return;
        }
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            // Without a time-out it also waits for the redirected output, so Log has the broker's last words.
            _process.WaitForExit();
        }
        _process.Dispose();
        _process = null;
    }

    public void Restart()
    {
        Stop();
        Start();
    }

    public void Dispose()
    {
        Stop();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
