using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Edge.Service.Tests.Fixtures;

/// <summary>What systemd is to a Type=notify unit: a Unix datagram socket that a child process finds through
/// NOTIFY_SOCKET and sends sd_notify(3) messages (READY=1, WATCHDOG=1, STATUS=...) to. Records each message with
/// the <see cref="Stopwatch"/> timestamp it arrived at.</summary>
public sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-notify-").FullName;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receive;

    public NotifySocket()
    {
        Path = System.IO.Path.Combine(_dir, "notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        _receive = Task.Run(ReceiveAsync);
    }

    public string Path { get; }

    public ConcurrentQueue<(long Timestamp, string Message)> Messages { get; } = new();

    /// <summary>Individual assignments (a datagram may carry several lines).</summary>
    public IEnumerable<(long Timestamp, string Line)> Lines() =>
        Messages.SelectMany(m => m.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (m.Timestamp, l)));

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                Messages.Enqueue((Stopwatch.GetTimestamp(), Encoding.UTF8.GetString(buffer, 0, n)));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _receive.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
