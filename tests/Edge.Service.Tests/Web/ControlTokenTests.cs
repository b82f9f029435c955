using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Edge.Service.Tests.Fixtures;
using Edge.Service.Web;

namespace Edge.Service.Tests.Web;

/// <summary>Bound to 0.0.0.0 (beyond loopback): control calls need the bearer token; reads do not.</summary>
public sealed class ControlTokenTests
{
    private static HttpRequestMessage Post(string body, string? authorization)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/follow") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return request;
    }

    [Fact]
    public async Task ControlEndpoints_Require_TheExactBearerToken()
    {
        await using var host = await ServiceHost.StartAsync("0.0.0.0", ServiceHost.Token);
        var http = host.Http;

        foreach (var auth in new string?[] { null, "Bearer", "Bearer wrong-token-0123456789abc", "Basic " + ServiceHost.Token, "Bearer " + ServiceHost.Token + "x", "Bearer " + ServiceHost.Token[..^1] })
        {
            using var response = await http.SendAsync(Post("{\"trackId\":1}", auth));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"'{auth}' gave {response.StatusCode}");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains("Edge:Web:Token", await response.Content.ReadAsStringAsync());
        }
        using (var del = await http.DeleteAsync("/api/follow"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, del.StatusCode);
        }
        Assert.Equal(0, host.View.SelectCalls);

        // Reads stay open.
        using (var tracks = await http.GetAsync("/api/tracks"))
        {
            Assert.Equal(HttpStatusCode.OK, tracks.StatusCode);
        }

        using (var ok = await http.SendAsync(Post("{\"trackId\":1}", "Bearer " + ServiceHost.Token)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        Assert.Equal(FollowMode.Locked, host.View.Follow.Mode);
        using var release = new HttpRequestMessage(HttpMethod.Delete, "/api/follow");
        release.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServiceHost.Token);
        using (var released = await http.SendAsync(release))
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        }
        Assert.Equal(FollowMode.Idle, host.View.Follow.Mode);
    }

    [Fact]
    public async Task LoopbackBinding_NeedsNoToken()
    {
        await using var host = await ServiceHost.StartAsync("127.0.0.1");
        using var response = await host.Http.SendAsync(Post("{\"trackId\":2}", null));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, host.View.Follow.TrackId);
    }
}
