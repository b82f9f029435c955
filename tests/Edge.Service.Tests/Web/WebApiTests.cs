using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Metrics;
using Edge.Service.Tests.Fixtures;
using Edge.Service.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Service.Tests.Web;

/// <summary>The HTTP API over real Kestrel on loopback (no token needed there).</summary>
public sealed class WebApiTests : IAsyncLifetime
{
    private ServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Http => _host.Http;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<FollowState> GetFollowAsync()
    {
        var json = await Http.GetStringAsync("/api/follow");
        return JsonSerializer.Deserialize(json, EdgeJsonContext.Default.FollowState)!;
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body)
    {
        using var response = await Http.PostAsync("/api/follow", Json(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Index_IsTheEmbeddedPage_WithStreamImageAndControls()
    {
        using var response = await Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<img id=\"stream\" src=\"/stream.mjpg\"", html);
        Assert.Contains("id=\"release\"", html);
        Assert.Contains("/api/tracks", html);
    }

    [Fact]
    public async Task Tracks_ListsBothPeople_InFramePixels()
    {
        var json = await Http.GetStringAsync("/api/tracks");
        var tracks = JsonSerializer.Deserialize(json, EdgeJsonContext.Default.TrackListResponse)!;
        Assert.Equal(640, tracks.Width);
        Assert.Equal(360, tracks.Height);
        Assert.True(tracks.Frame >= 1);
        Assert.Equal([1, 2], tracks.Tracks.Select(t => t.Id));
        Assert.All(tracks.Tracks, t => Assert.Equal("person", t.Label));
        Assert.Equal(FollowMode.Idle, tracks.Follow.Mode);
        Assert.Contains("\"mode\":\"idle\"", json);
        Assert.Equal([("masked", (float?)0.8f), (null, null)], tracks.Tracks.Select(t => (t.CropLabel, t.CropLabelConf)));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(json, "\"cropLabel\":"));   // omitted, not null, for track 2
    }

    [Fact]
    public async Task Follow_ByPoint_ById_AndRelease()
    {
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);

        var (status, body) = await PostAsync("{\"x\":160,\"y\":200}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("\"trackId\":1", body);
        var follow = await GetFollowAsync();
        Assert.Equal(FollowMode.Locked, follow.Mode);
        Assert.Equal(1, follow.TrackId);

        (status, _) = await PostAsync("{\"trackId\":2}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (await GetFollowAsync()).TrackId);

        using (var del = await Http.DeleteAsync("/api/follow"))
        {
            Assert.Equal(HttpStatusCode.OK, del.StatusCode);
        }
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);

        (status, _) = await PostAsync("{\"x\":440.5,\"y\":100}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (await GetFollowAsync()).TrackId);
        (status, _) = await PostAsync("{\"release\":true}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);
    }

    [Theory]
    [InlineData("{\"x\":-1,\"y\":5}", "outside the 640x360 frame")]
    [InlineData("{\"x\":640,\"y\":10}", "outside the 640x360 frame")]
    [InlineData("{\"x\":10,\"y\":360}", "outside the 640x360 frame")]
    [InlineData("{\"x\":1e999,\"y\":1}", "")]
    [InlineData("{\"x\":\"160\",\"y\":200}", "malformed JSON")]
    [InlineData("{\"x\":160}", "both \"x\" and \"y\"")]
    [InlineData("{\"x\":1,\"y\":1,\"trackId\":1}", "exactly one")]
    [InlineData("{}", "exactly one")]
    [InlineData("{\"trackId\":0}", "positive integer")]
    [InlineData("{\"trackId\":-3}", "positive integer")]
    [InlineData("{\"trackId\":1.5}", "malformed JSON")]
    [InlineData("{\"trackId\":99999999999}", "malformed JSON")]
    [InlineData("{\"trackid\":1}", "malformed JSON")]
    [InlineData("{\"release\":false}", "must be true")]
    [InlineData("{\"x\":1,", "malformed JSON")]
    [InlineData("[1,2]", "malformed JSON")]
    [InlineData("null", "JSON object")]
    public async Task BadFollowBodies_Are400_WithAnErrorMessage(string body, string expected)
    {
        var (status, text) = await PostAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = JsonSerializer.Deserialize(text, EdgeJsonContext.Default.ErrorResponse)!;
        Assert.False(string.IsNullOrWhiteSpace(error.Error));
        Assert.Contains(expected, error.Error);
        Assert.DoesNotContain("Edge.", error.Error); // no .NET type names from the serializer
        Assert.DoesNotContain("System.", error.Error);
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);
    }

    [Fact]
    public async Task UnknownTrack_AndEmptySpot_Are404()
    {
        var (status, text) = await PostAsync("{\"trackId\":99}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no live track with id 99", text);
        (status, text) = await PostAsync("{\"x\":300,\"y\":200}");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("no track at (300, 200)", text);
        (_, text) = await PostAsync("{\"x\":300.125,\"y\":359.99}");
        Assert.Contains("no track at (300.125, 359.99)", text); // not rounded onto the frame's edge
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);
    }

    [Fact]
    public async Task OversizedBodies_Are413_WithOrWithoutContentLength()
    {
        string big = "{\"x\":1,\"y\":1" + new string(' ', 5000) + "}";
        var (status, text) = await PostAsync(big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit is 4096", text);

        // Chunked (no Content-Length): the endpoint counts bytes as it reads.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/follow") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("exceeds the limit of 4096", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/jsonx")]
    public async Task NonJsonContentType_Is415(string mediaType)
    {
        using var response = await Http.PostAsync("/api/follow", new StringContent("{\"trackId\":1}", Encoding.UTF8, mediaType));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(FollowMode.Idle, (await GetFollowAsync()).Mode);
    }

    [Theory]
    [InlineData("GET", "/nope", 404, "no such endpoint: /nope")]
    [InlineData("PUT", "/api/follow", 405, "PUT is not allowed on /api/follow (allowed: ")]
    [InlineData("POST", "/healthz", 405, "POST is not allowed on /healthz (allowed: GET)")]
    public async Task UnknownPathsAndMethods_AnswerWithAJsonError(string method, string path, int status, string expected)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), EdgeJsonContext.Default.ErrorResponse)!;
        Assert.StartsWith(expected, error.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_IsMultipartJpeg_AndFramesChange()
    {
        using var response = await Http.GetAsync("/stream.mjpg", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("multipart/x-mixed-replace", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("edgeframe", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "boundary").Value);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var first = await MjpegReader.ReadPartAsync(stream);
        var second = await MjpegReader.ReadPartAsync(stream);
        var third = await MjpegReader.ReadPartAsync(stream);
        foreach (var jpeg in new[] { first, second, third })
        {
            // JPEG SOI and EOI markers (ITU T.81 B.1.1.3).
            Assert.Equal(0xFF, jpeg[0]);
            Assert.Equal(0xD8, jpeg[1]);
            Assert.Equal(0xD9, jpeg[^1]);
        }
        Assert.False(second.AsSpan().SequenceEqual(third), "consecutive MJPEG frames are identical");
    }

    [Fact]
    public async Task Snapshot_IsTheNextJpegFrame()
    {
        using var response = await Http.GetAsync("/snapshot.jpg");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        byte[] jpeg = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal((0xFF, 0xD8, 0xD9), (jpeg[0], jpeg[1], jpeg[^1]));
    }

    [Fact]
    public async Task Healthz_Is200WhenHealthyOrDegraded_And503WhenAComponentIsUnhealthy()
    {
        var health = _host.App.Services.GetRequiredService<HealthRegistry>();
        health.Report("capture", HealthStatus.Healthy, "25 fps");
        health.Report("sinks", HealthStatus.Degraded, "mqtt buffering");
        using (var ok = await Http.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var report = JsonSerializer.Deserialize(await ok.Content.ReadAsStringAsync(), EdgeJsonContext.Default.HealthReport)!;
            Assert.Equal(HealthStatus.Degraded, report.Status);
            Assert.Equal("mqtt buffering", report.Components["sinks"].Reason);
        }
        health.Report("inference", HealthStatus.Unhealthy, "model failed to load");
        using var bad = await Http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, bad.StatusCode);
        var body = await bad.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":\"unhealthy\"", body);
        Assert.Contains("model failed to load", body);
    }

    [Fact]
    public async Task Metrics_IsPrometheusText_WithEdgeMetrics()
    {
        var metrics = _host.App.Services.GetRequiredService<EdgeMetrics>();
        metrics.Latency("infer").Observe(0.012);
        metrics.LiveTracks.Set(2);
        using var response = await Http.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE edge_stage_latency_seconds histogram\n", text);
        // 0.012 s falls in the 0.02 bucket and every larger one, not in 0.01.
        Assert.Contains("edge_stage_latency_seconds_bucket{stage=\"infer\",le=\"0.01\"} 0\n", text);
        Assert.Contains("edge_stage_latency_seconds_bucket{stage=\"infer\",le=\"0.02\"} 1\n", text);
        Assert.Contains("edge_live_tracks 2\n", text);
        Assert.Contains("# TYPE edge_web_stream_frames_total counter\n", text);
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')),
            line => Assert.StartsWith("edge_", line));
    }
}
