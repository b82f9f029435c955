namespace Edge.Pipeline;

/// <summary>What the pipeline does when a sink is slower than the frames arrive.</summary>
public enum SinkOverflow
{
    /// <summary><see cref="Drop"/> for live and real-time runs, <see cref="Wait"/> for offline file runs.</summary>
    Auto,

    /// <summary>Sinks run on the output thread and the pipeline waits for each: lossless, so CLI outputs are complete,
    /// but a slow sink slows everything.</summary>
    Wait,

    /// <summary>Each sink gets its own thread and a bounded queue of frame copies; when the queue is full the frame is
    /// dropped for that sink only (counted in <see cref="SinkStatistics.Dropped"/>), so a slow sink never stalls
    /// capture or inference.</summary>
    Drop,
}
