using System.Diagnostics;
using Edge.Service.Health;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Service.Events;

/// <summary>Stamps events with a per-process sequence number and fans them out to every sink, so JSONL and
/// MQTT carry the same numbers and a consumer can match them. A sink that throws (a full disk under the event log)
/// loses that event alone: the other sinks and the pipeline go on, the failure is logged (at most every
/// <see cref="LogInterval"/> per sink) and the <see cref="HealthComponent"/> component is degraded until the sink
/// takes an event again.</summary>
public sealed class EventSequencer
{
    public const string HealthComponent = "events";
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    private readonly IEventSink[] _sinks;
    private readonly ILogger _logger;
    private readonly HealthRegistry? _health;
    private readonly Lock _gate = new();
    private readonly long[] _failures;
    private readonly long[] _lastLogged;
    private readonly bool[] _failing;
    private long _seq;

    public EventSequencer(IEnumerable<IEventSink> sinks, ILogger<EventSequencer>? logger = null, HealthRegistry? health = null)
    {
        _sinks = [.. sinks];
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _health = health;
        _failures = new long[_sinks.Length];
        _lastLogged = new long[_sinks.Length];
        _failing = new bool[_sinks.Length];
    }

    /// <summary>Events a sink failed to take, summed over the sinks.</summary>
    public long Failures
    {
        get
        {
            lock (_gate)
            {
                return _failures.Sum();
            }
        }
    }

    public EdgeEvent Publish(EdgeEvent e)
    {
        var stamped = e with { Seq = Interlocked.Increment(ref _seq) };
        for (int i = 0; i < _sinks.Length; i++)
        {
            try
            {
                _sinks[i].Publish(stamped);
                Recovered(i);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Failed(i, stamped, ex);
            }
        }
        return stamped;
    }

    private void Failed(int sink, EdgeEvent e, Exception ex)
    {
        string name = _sinks[sink].GetType().Name;
        lock (_gate)
        {
            long now = Stopwatch.GetTimestamp();
            bool first = !_failing[sink];
            _failing[sink] = true;
            _failures[sink]++;
            if (first || Stopwatch.GetElapsedTime(_lastLogged[sink], now) >= LogInterval)
            {
                _lastLogged[sink] = now;
                _logger.LogError(ex, "Event sink {Sink} failed on event {Seq} ({Kind}); {Failures} events lost there so far, the other outputs go on",
                    name, e.Seq, e.Kind, _failures[sink]);
            }
        }
        _health?.Report(HealthComponent, HealthStatus.Degraded, $"{name} failed: {ex.Message}");
    }

    private void Recovered(int sink)
    {
        bool allWell;
        lock (_gate)
        {
            if (!_failing[sink])
            {
                return;
            }
            _failing[sink] = false;
            allWell = !_failing.Contains(true);
            _logger.LogInformation("Event sink {Sink} takes events again ({Failures} lost so far)", _sinks[sink].GetType().Name, _failures[sink]);
        }
        if (allWell)
        {
            _health?.Report(HealthComponent, HealthStatus.Healthy, "events written");
        }
    }
}
