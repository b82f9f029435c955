namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Service</c>: process-level settings.</summary>
public sealed class ServiceOptions
{
    public const string Section = "Edge:Service";

    /// <summary>Upper bound for the whole SIGTERM shutdown (drain, flush, final status); the host exits after it.</summary>
    public double ShutdownTimeoutSeconds { get; set; } = 10;

    /// <summary>JSONL event log; empty disables it.</summary>
    public string? EventLogPath { get; set; }

    /// <summary>Test hook, off when empty: <c>edge run</c>'s warm-up ends only once this file exists, so a test sees
    /// the warming-up state however fast the model loads. An absolute path in an existing directory.</summary>
    public string? WarmupHoldFile { get; set; }
}
