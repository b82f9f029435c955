using System.Net;
using System.Net.Sockets;

namespace Edge.Service.Tests.Fixtures;

public static class FreePort
{
    /// <summary>A loopback TCP port the OS considers free right now.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
