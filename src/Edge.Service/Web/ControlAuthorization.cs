using System.Net;
using System.Security.Cryptography;
using System.Text;
using Edge.Service.Options;
using Microsoft.AspNetCore.Http;

namespace Edge.Service.Web;

/// <summary>Guards the control endpoints. Required only when the service listens beyond loopback (on loopback
/// anyone who can reach the port already runs code on the device). Tokens are compared as SHA-256 digests with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>: constant time, and the length of the secret leaks nothing.</summary>
public sealed class ControlAuthorization
{
    private readonly byte[]? _expectedDigest;

    public ControlAuthorization(WebOptions options)
    {
        RequiresToken = BindAddress.Split(options.Urls).Any(u => !BindAddress.IsLoopback(u));
        if (!string.IsNullOrEmpty(options.Token))
        {
            _expectedDigest = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token));
        }
    }

    public bool RequiresToken { get; }

    public bool IsAuthorized(HttpRequest request)
    {
        // Defence in depth: a request that arrived on a non-loopback local address needs the token even if the
        // configured URLs looked loopback-only (e.g. endpoints added through Kestrel:Endpoints configuration).
        if (!RequiresToken && ArrivedOnLoopback(request.HttpContext.Connection.LocalIpAddress))
        {
            return true;
        }
        if (_expectedDigest is null)
        {
            return false;
        }
        string header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedDigest);
    }

    private static bool ArrivedOnLoopback(IPAddress? local)
    {
        if (local is null)
        {
            return false;
        }
        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }
        return IPAddress.IsLoopback(local);
    }
}
