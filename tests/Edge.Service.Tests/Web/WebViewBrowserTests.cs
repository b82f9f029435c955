using System.Text.Json;
using Edge.Service.Events;
using Edge.Service.Metrics;
using Edge.Service.Tests.Fixtures;
using Edge.Service.Web;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace Edge.Service.Tests.Web;

/// <summary>The page in real headless chromium against the real host. One browser for the class (start-up is
/// the slow part); each test gets its own host.</summary>
public sealed class WebViewBrowserTests : IClassFixture<WebViewBrowserTests.Browser>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ChromiumBrowser _browser;

    public sealed class Browser : IDisposable
    {
        public ChromiumBrowser Chromium { get; } = new();

        public void Dispose() => Chromium.Dispose();
    }

    public WebViewBrowserTests(Browser browser) => _browser = browser.Chromium;

    private IWebDriver Driver => _browser.Driver;

    private static async Task<FollowState> FollowAsync(ServiceHost host) =>
        JsonSerializer.Deserialize(await host.Http.GetStringAsync("/api/follow"), EdgeJsonContext.Default.FollowState)!;

    private async Task OpenAsync(ServiceHost host, string fragment = "")
    {
        Driver.Navigate().GoToUrl(new Uri(host.BaseAddress, "/" + fragment));
        await Eventually.WaitUntilAsync(
            () => _browser.Script<long>("const i = document.getElementById('stream'); return i.complete ? i.naturalWidth : 0;") == SyntheticLiveView.Width,
            Wait, "the MJPEG image shows a 640-pixel frame");
        await Eventually.WaitUntilAsync(() => Driver.FindElements(By.CssSelector("#tracks li")).Count == 2, Wait, "two tracks listed");
    }

    /// <summary>Clicks the image at a frame-pixel position, converting to the displayed size (Selenium offsets
    /// are from the element's centre).</summary>
    private void ClickFramePixel(float x, float y)
    {
        var img = Driver.FindElement(By.Id("stream"));
        var size = img.Size;
        int dx = (int)Math.Round(x * size.Width / SyntheticLiveView.Width - size.Width / 2.0);
        int dy = (int)Math.Round(y * size.Height / SyntheticLiveView.Height - size.Height / 2.0);
        new Actions(Driver).MoveToElement(img, dx, dy).Click().Perform();
    }

    [Fact]
    public async Task StreamUpdates_ClickLocksPerson_ListClickSwitches_ReleaseWorks()
    {
        await using var host = await ServiceHost.StartAsync();
        await OpenAsync(host);

        // The stream updates: the server keeps sending frames and what chromium paints changes.
        var frames = host.App.Services.GetRequiredService<WebMetrics>().StreamFrames;
        long before = frames.Value;
        var img = Driver.FindElement(By.Id("stream"));
        var shot1 = ((ITakesScreenshot)img).GetScreenshot().AsByteArray;
        await Eventually.WaitUntilAsync(() => frames.Value >= before + 5, Wait, "5 more MJPEG frames sent");
        var shot2 = ((ITakesScreenshot)img).GetScreenshot().AsByteArray;
        Assert.False(shot1.AsSpan().SequenceEqual(shot2), "the displayed stream image did not change");

        // Click on person 1 (frame pixel 160, 200 is inside its box in every frame).
        ClickFramePixel(160, 200);
        await Eventually.WaitUntilAsync(async () => (await FollowAsync(host)) is { Mode: FollowMode.Locked, TrackId: 1 }, Wait, "follow locks track 1");
        await Eventually.WaitUntilAsync(() => Driver.FindElement(By.Id("follow")).Text == "locked #1", Wait, "page shows locked #1");
        Assert.Contains("target", Driver.FindElement(By.Id("track-1")).GetAttribute("class") ?? "");

        // Click between the people: 404, the target stays.
        ClickFramePixel(300, 200);
        await Eventually.WaitUntilAsync(() => Driver.FindElement(By.Id("error")).Text.StartsWith("404", StringComparison.Ordinal), Wait, "page shows the 404");
        Assert.Equal(1, (await FollowAsync(host)).TrackId);

        // Click person 2 in the track list.
        Driver.FindElement(By.Id("track-2")).Click();
        await Eventually.WaitUntilAsync(async () => (await FollowAsync(host)) is { Mode: FollowMode.Locked, TrackId: 2 }, Wait, "follow locks track 2");

        Driver.FindElement(By.Id("release")).Click();
        await Eventually.WaitUntilAsync(async () => (await FollowAsync(host)).Mode == FollowMode.Idle, Wait, "release returns to idle");
        await Eventually.WaitUntilAsync(() => Driver.FindElement(By.Id("follow")).Text == "idle", Wait, "page shows idle");
    }

    [Fact]
    public async Task NonLoopbackBinding_RefusesControlWithoutToken_AcceptsWithIt()
    {
        await using var host = await ServiceHost.StartAsync("0.0.0.0", ServiceHost.Token);

        await OpenAsync(host);
        ClickFramePixel(160, 200);
        await Eventually.WaitUntilAsync(() => Driver.FindElement(By.Id("error")).Text.StartsWith("401", StringComparison.Ordinal), Wait, "page shows 401");
        Driver.FindElement(By.Id("track-2")).Click();
        await Task.Delay(300);
        Assert.Equal(FollowMode.Idle, (await FollowAsync(host)).Mode);
        Assert.Equal(0, host.View.SelectCalls);

        // The token travels in the URL fragment; the page sends it as a bearer header.
        await OpenAsync(host, "#token=" + ServiceHost.Token);
        ClickFramePixel(160, 200);
        await Eventually.WaitUntilAsync(async () => (await FollowAsync(host)) is { Mode: FollowMode.Locked, TrackId: 1 }, Wait, "follow locks track 1 with the token");
        Driver.FindElement(By.Id("release")).Click();
        await Eventually.WaitUntilAsync(async () => (await FollowAsync(host)).Mode == FollowMode.Idle, Wait, "release with the token");
    }
}
