using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Edge.Service.Tests.Fixtures;

/// <summary>Headless Debian chromium driven by the Debian chromedriver through Selenium, with a fresh profile.
/// Both paths are given explicitly, so Selenium Manager never tries to download anything.</summary>
public sealed class ChromiumBrowser : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile;

    public ChromiumBrowser()
    {
        foreach (var path in new[] { BrowserPath, DriverPath })
        {
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path} is missing; install with scripts/ensure-deps test (Debian chromium, chromium-driver).", path);
            }
        }
        _profile = Directory.CreateTempSubdirectory("edge-chromium-").FullName;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1280,900", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(30));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(15);
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(10);
    }

    public ChromeDriver Driver { get; }

    public T Script<T>(string script, params object[] args) => (T)Driver.ExecuteScript(script, args)!;

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
