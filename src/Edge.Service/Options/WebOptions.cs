namespace Edge.Service.Options;

/// <summary>Section <c>Edge:Web</c>. Validated at start-up by <see cref="WebOptionsValidator"/>.</summary>
public sealed class WebOptions
{
    public const string Section = "Edge:Web";

    /// <summary>Semicolon-separated listen URLs. Loopback only by default: nothing is reachable from the network
    /// unless the operator says so.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Bearer token for the control endpoints; required when any URL binds beyond loopback.</summary>
    public string? Token { get; set; }

    /// <summary>Largest accepted request body, bytes (413 beyond).</summary>
    public int MaxBodyBytes { get; set; } = 4096;

    /// <summary>Upper bound on the MJPEG frame rate per viewer, to keep encoding bandwidth off the pipeline.</summary>
    public double StreamMaxFps { get; set; } = 15;

    /// <summary>JPEG quality (1-100) of the live stream's frames.</summary>
    public int JpegQuality { get; set; } = 75;

    /// <summary>Simultaneous MJPEG viewers (503 beyond).</summary>
    public int StreamMaxClients { get; set; } = 4;
}
