using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Edge.Service.Events;
using Edge.Service.Health;
using Edge.Service.Metrics;
using Edge.Service.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Edge.Service.Web;

/// <summary>The web view's routes: the page, the MJPEG stream, the track/follow API, /healthz and /metrics.</summary>
public static class EdgeWebEndpoints
{
    private const string Boundary = "edgeframe";
    private static readonly byte[] CrLf = "\r\n"u8.ToArray();

    /// <summary>The three forms of a follow request, for error messages.</summary>
    private const string RequestForms = "{\"x\":..,\"y\":..}, {\"trackId\":N} or {\"release\":true}";

    public static IEndpointRouteBuilder MapEdgeWeb(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Bytes(IndexPage.Value, "text/html; charset=utf-8"));
        app.MapGet("/stream.mjpg", StreamAsync);
        app.MapGet("/snapshot.jpg", SnapshotAsync);
        app.MapGet("/api/tracks", (ILiveView view) => Results.Json(ToResponse(view.Tracks, view.Follow), EdgeJsonContext.Default.TrackListResponse));
        app.MapGet("/api/follow", (ILiveView view) => Results.Json(view.Follow, EdgeJsonContext.Default.FollowState));
        app.MapPost("/api/follow", PostFollowAsync).AddEndpointFilter(RequireControlToken);
        app.MapDelete("/api/follow", (IFollowControl control) => Results.Json(control.Release(), EdgeJsonContext.Default.FollowState))
            .AddEndpointFilter(RequireControlToken);
        app.MapGet("/healthz", (HealthRegistry health) =>
        {
            var report = health.Snapshot();
            return Results.Json(report, EdgeJsonContext.Default.HealthReport,
                statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        });
        app.MapGet("/metrics", (MetricsRegistry metrics) => Results.Text(metrics.Render(), MetricsRegistry.ContentType));
        return app;
    }

    private static readonly Lazy<byte[]> IndexPage = new(() =>
    {
        using var s = typeof(EdgeWebEndpoints).Assembly.GetManifestResourceStream("Edge.Service.Web.index.html")
            ?? throw new InvalidOperationException("Embedded resource Edge.Service.Web.index.html is missing.");
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    });

    internal static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), EdgeJsonContext.Default.ErrorResponse, statusCode: status);

    /// <summary>Gives routing's empty 404 and 405 responses the JSON error body every other error has.</summary>
    public static IApplicationBuilder UseEdgeErrorBodies(this IApplicationBuilder app) =>
        app.UseStatusCodePages(static async context =>
        {
            HttpResponse response = context.HttpContext.Response;
            HttpRequest request = context.HttpContext.Request;
            string? message = response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no such endpoint: {request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path} (allowed: {response.Headers.Allow})",
                _ => null,
            };
            if (message is not null)
            {
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, new ErrorResponse(message), EdgeJsonContext.Default.ErrorResponse).ConfigureAwait(false);
            }
        });

    private static async ValueTask<object?> RequireControlToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var auth = context.HttpContext.RequestServices.GetRequiredService<ControlAuthorization>();
        if (!auth.IsAuthorized(context.HttpContext.Request))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(StatusCodes.Status401Unauthorized,
                "control endpoints need 'Authorization: Bearer <token>' (Edge:Web:Token) when the service listens beyond loopback");
        }
        return await next(context).ConfigureAwait(false);
    }

    private static TrackListResponse ToResponse(LiveTrackSet set, FollowState follow)
    {
        var tracks = new TrackDto[set.Tracks.Count];
        for (int i = 0; i < tracks.Length; i++)
        {
            var t = set.Tracks[i];
            tracks[i] = new TrackDto(t.Id, EventBox.From(t.Box), t.Score, t.Label, t.CropLabel,
                t.CropLabel is null ? null : MathF.Round(t.CropLabelConf, 4));
        }
        return new TrackListResponse(set.Sequence, set.Width, set.Height, tracks, follow);
    }

    private static async Task<IResult> PostFollowAsync(HttpContext ctx, ILiveView view, IFollowControl control, IOptions<WebOptions> options)
    {
        // The media type itself, not a prefix: "application/jsonx" is not JSON; parameters (charset) are fine.
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ctx.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return Error(StatusCodes.Status415UnsupportedMediaType, "Content-Type must be application/json");
        }
        int max = options.Value.MaxBodyBytes;
        if (ctx.Request.ContentLength > max)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"body is {ctx.Request.ContentLength} bytes; the limit is {max}");
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            int length = 0;
            while (length <= max)
            {
                int n = await ctx.Request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), ctx.RequestAborted).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }
                length += n;
            }
            if (length > max)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"body exceeds the limit of {max} bytes");
            }
            if (length == 0)
            {
                return Error(StatusCodes.Status400BadRequest, "body required: " + RequestForms);
            }
            FollowRequest? request;
            try
            {
                request = JsonSerializer.Deserialize(buffer.AsSpan(0, length), EdgeJsonContext.Default.FollowRequest);
            }
            catch (JsonException ex)
            {
                // The serializer's own message names .NET types ("Edge.Service.Web.FollowRequest", "System.Single"),
                // which say nothing to a client; the JSON path says where.
                return Error(StatusCodes.Status400BadRequest,
                    $"malformed JSON at {ex.Path ?? "$"}: expected {{\"x\":..,\"y\":..}} (numbers), {{\"trackId\":N}} or {{\"release\":true}}");
            }
            return request is null
                ? Error(StatusCodes.Status400BadRequest, "body must be a JSON object")
                : Apply(request, view, control);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Validates and applies a follow request: exactly one form, finite in-frame coordinates, positive ids.</summary>
    internal static IResult Apply(FollowRequest r, ILiveView view, IFollowControl control)
    {
        bool point = r.X is not null || r.Y is not null;
        bool byId = r.TrackId is not null;
        bool release = r.Release is not null;
        if ((point ? 1 : 0) + (byId ? 1 : 0) + (release ? 1 : 0) != 1)
        {
            return Error(StatusCodes.Status400BadRequest, "give exactly one of " + RequestForms);
        }
        if (release)
        {
            return r.Release == true
                ? Results.Json(control.Release(), EdgeJsonContext.Default.FollowState)
                : Error(StatusCodes.Status400BadRequest, "\"release\" must be true");
        }
        if (byId)
        {
            if (r.TrackId <= 0)
            {
                return Error(StatusCodes.Status400BadRequest, $"trackId must be a positive integer (got {r.TrackId})");
            }
            var byIdResult = control.SelectById(r.TrackId!.Value);
            return byIdResult.Found
                ? Results.Json(byIdResult.State, EdgeJsonContext.Default.FollowState)
                : Error(StatusCodes.Status404NotFound, $"no live track with id {r.TrackId}");
        }
        if (r.X is not { } x || r.Y is not { } y)
        {
            return Error(StatusCodes.Status400BadRequest, "a point needs both \"x\" and \"y\"");
        }
        // The track list carries the frame size and is published whether or not anyone watches the stream.
        LiveTrackSet frame = view.Tracks;
        if (frame.Width <= 0 || frame.Height <= 0)
        {
            return Error(StatusCodes.Status409Conflict, "no frame yet; nothing to select");
        }
        if (!double.IsFinite(x) || !double.IsFinite(y) || x < 0 || y < 0 || x >= frame.Width || y >= frame.Height)
        {
            return Error(StatusCodes.Status400BadRequest,
                string.Create(CultureInfo.InvariantCulture, $"point ({x}, {y}) is outside the {frame.Width}x{frame.Height} frame"));
        }
        var result = control.SelectAtPoint((float)x, (float)y);
        return result.Found
            ? Results.Json(result.State, EdgeJsonContext.Default.FollowState)
            : Error(StatusCodes.Status404NotFound, string.Create(CultureInfo.InvariantCulture, $"no track at ({x:0.###}, {y:0.###})"));
    }

    /// <summary>The next annotated frame (frames are encoded only while asked for, so the newest one may be old): up to
    /// <see cref="SnapshotWait"/> for it, then the newest there is, or 503 when there is none (no frames arriving).</summary>
    private static async Task<IResult> SnapshotAsync(HttpContext ctx, ILiveView view, IHostApplicationLifetime lifetime)
    {
        LiveFrame? latest = view.Latest;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        cts.CancelAfter(SnapshotWait);
        try
        {
            latest = await view.WaitForFrameAsync(latest?.Sequence ?? 0, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Nothing new in time (source reconnecting, or shutting down): the newest frame, if any.
        }
        return latest is { } f
            ? Results.Bytes(f.Jpeg, "image/jpeg")
            : Error(StatusCodes.Status503ServiceUnavailable, "no frame yet");
    }

    /// <summary>How long a snapshot waits for the next frame.</summary>
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromSeconds(3);

    /// <summary>multipart/x-mixed-replace: each part is one JPEG; browsers replace the image with every part.
    /// Ends when the client goes away or the host stops (so shutdown never waits on an endless response).</summary>
    private static async Task StreamAsync(HttpContext ctx, ILiveView view, StreamLimiter limiter, WebMetrics metrics,
        IOptions<WebOptions> options, IHostApplicationLifetime lifetime)
    {
        if (!limiter.TryEnter())
        {
            ctx.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await ctx.Response.WriteAsJsonAsync(new ErrorResponse($"at most {limiter.Limit} stream viewers"), EdgeJsonContext.Default.ErrorResponse).ConfigureAwait(false);
            return;
        }
        metrics.StreamClients.Add(1);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping);
        var ct = cts.Token;
        try
        {
            ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            ctx.Response.ContentType = $"multipart/x-mixed-replace; boundary={Boundary}";
            ctx.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
            ctx.Response.Headers.Pragma = "no-cache";
            var minInterval = TimeSpan.FromSeconds(1.0 / options.Value.StreamMaxFps);
            var body = ctx.Response.Body;
            long last = 0;
            var sent = System.Diagnostics.Stopwatch.StartNew();
            while (!ct.IsCancellationRequested)
            {
                var frame = await view.WaitForFrameAsync(last, ct).ConfigureAwait(false);
                var header = Encoding.ASCII.GetBytes(
                    $"--{Boundary}\r\nContent-Type: image/jpeg\r\nContent-Length: {frame.Jpeg.Length}\r\n\r\n");
                await body.WriteAsync(header, ct).ConfigureAwait(false);
                await body.WriteAsync(frame.Jpeg, ct).ConfigureAwait(false);
                await body.WriteAsync(CrLf, ct).ConfigureAwait(false);
                await body.FlushAsync(ct).ConfigureAwait(false);
                metrics.StreamFrames.Inc();
                last = frame.Sequence;
                var wait = minInterval - sent.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, ct).ConfigureAwait(false);
                }
                sent.Restart();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The viewer closed the connection mid-frame.
        }
        finally
        {
            metrics.StreamClients.Add(-1);
            limiter.Exit();
        }
    }
}
