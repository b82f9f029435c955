using System.Net;

namespace Edge.Service.Options;

/// <summary>Decides whether a Kestrel listen URL is reachable only from this machine.</summary>
public static class BindAddress
{
    /// <summary>True for localhost, 127.0.0.0/8 and ::1. Wildcards (0.0.0.0, [::], *, +), other addresses and
    /// host names count as non-loopback: when in doubt, require the token.</summary>
    public static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            // Kestrel accepts "http://*:80" and "http://+:80", which Uri rejects: wildcards, not loopback.
            return false;
        }
        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    public static string[] Split(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
