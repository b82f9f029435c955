using System.Text;

namespace Edge.Service.Tests.Fixtures;

/// <summary>Reads one part of a multipart/x-mixed-replace stream: boundary line, headers, Content-Length bytes.</summary>
public static class MjpegReader
{
    public static async Task<byte[]> ReadPartAsync(Stream stream)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        string line;
        do
        {
            line = await ReadLineAsync(stream, timeout.Token);
        }
        while (line.Length == 0);
        Assert.Equal("--edgeframe", line);
        int length = -1;
        while ((line = await ReadLineAsync(stream, timeout.Token)).Length > 0)
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                Assert.Equal("Content-Type: image/jpeg", line);
            }
        }
        Assert.True(length > 0, "part without Content-Length");
        var data = new byte[length];
        await stream.ReadExactlyAsync(data, timeout.Token);
        return data;
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, ct);
            if (one[0] == '\n')
            {
                return sb.ToString().TrimEnd('\r');
            }
            sb.Append((char)one[0]);
        }
    }
}
