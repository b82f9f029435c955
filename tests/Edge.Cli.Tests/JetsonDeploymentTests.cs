using System.Diagnostics;
using System.Reflection;
using System.Xml.Linq;
using Edge.Cli;
using Edge.Cli.Commands;
using Edge.Detection;
using Edge.Service.Options;
using Microsoft.Extensions.Configuration;

namespace Edge.Tests;

/// <summary>Keeps deploy/jetson consistent with the code: pinned native versions equal the NuGet versions, the Jetson
/// settings bind to the detector contract, and install.sh lays out what edge.service expects.</summary>
public class JetsonDeploymentTests
{
    private static string Deploy(string file) => TestData.Require(Path.Combine(TestData.RepoRoot, "deploy", "jetson", file));

    [Fact]
    public void NativePinsMatchTheManagedPackages()
    {
        var pins = File.ReadAllLines(Deploy("versions.env"))
            .Where(l => l.Contains('=') && !l.TrimStart().StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
        var packages = XDocument.Load(Path.Combine(TestData.RepoRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!);

        // The managed ONNX Runtime API must match the device-built native library exactly.
        Assert.Equal("v" + packages["Microsoft.ML.OnnxRuntime.Managed"], pins["ORT_TAG"]);
        Assert.Equal(packages["Microsoft.ML.OnnxRuntime"], packages["Microsoft.ML.OnnxRuntime.Managed"]);
        Assert.Equal(packages["OpenCvSharp4"], pins["OPENCVSHARP_TAG"]);
        Assert.Equal("nvcr.io/nvidia/l4t-jetpack:r36.4.0", pins["L4T_IMAGE"]);
        Assert.Contains($"ARG L4T_IMAGE={pins["L4T_IMAGE"]}", File.ReadAllText(Deploy("Dockerfile")));
    }

    [Fact]
    public void JetsonSettingsBindToTheDetectorContract()
    {
        var config = DoctorCommand.Load(new FileInfo(Deploy("appsettings.Jetson.json")));
        var detector = config.GetSection("Edge:Detector");
        var properties = typeof(DetectorOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToHashSet();
        Assert.All(detector.GetChildren(), c => Assert.Contains(c.Key, properties));

        var options = detector.Get<DetectorOptions>()!;
        options.Validate();
        Assert.Equal(["TensorRT", "CUDA", "CPU"], options.Providers);
        Assert.True(options.TensorRt.Fp16);
        // edge.service: CacheDirectory=edge and StateDirectory=edge are the only writable places under ProtectSystem=strict.
        Assert.StartsWith("/var/cache/edge/", options.TensorRt.EngineCacheDir);
        Assert.StartsWith("/var/lib/edge/", config["Edge:Output:Directory"]);

        Assert.Equal("Csi", config["Edge:Source:Kind"]);
        Assert.StartsWith("nvarguscamerasrc ", config["Edge:Source:Csi:Pipeline"]);
        Assert.Contains($"v4l2src device={config["Edge:Source:Usb:Device"]} ", config["Edge:Source:Usb:Pipeline"]);
        foreach (string kind in new[] { "Csi", "Usb" })
        {
            // OpenCV's GStreamer backend needs BGR at an appsink.
            Assert.EndsWith("video/x-raw,format=BGR ! appsink drop=true max-buffers=1 sync=false", config[$"Edge:Source:{kind}:Pipeline"]);
        }
        foreach (string section in new[] { "Edge:Mqtt:Host", "Edge:Web:Urls", "Edge:Service:EventLogPath" })
        {
            Assert.False(string.IsNullOrEmpty(config[section]), section);
        }
    }

    /// <summary>Every key in the Jetson settings binds to a property of the option class `edge run` reads it into
    /// (a misspelt key would otherwise be silently ignored), and the options pass the same validators as at start-up,
    /// with the token the installer generates.</summary>
    [Fact]
    public void JetsonSettingsBindToTheServiceOptions()
    {
        var config = DoctorCommand.Load(new FileInfo(Deploy("appsettings.Jetson.json")));
        var sections = new (string Section, Type Type)[]
        {
            (SourceOptions.Section, typeof(SourceOptions)), (FollowServiceOptions.Section, typeof(FollowServiceOptions)),
            (OutputOptions.Section, typeof(OutputOptions)), (ServiceOptions.Section, typeof(ServiceOptions)),
            (MqttOptions.Section, typeof(MqttOptions)), (WebOptions.Section, typeof(WebOptions)),
        };
        Assert.Equal(sections.Select(s => s.Section.Split(':')[1]).Append("Detector").Order(), config.GetSection("Edge").GetChildren().Select(c => c.Key).Order());
        foreach (var (section, type) in sections)
        {
            AssertBinds(config.GetSection(section), type);
        }
        Assert.True(new SourceOptionsValidator().Validate(null, config.GetSection(SourceOptions.Section).Get<SourceOptions>()!).Succeeded);
        Assert.True(new FollowServiceOptionsValidator().Validate(null, config.GetSection(FollowServiceOptions.Section).Get<FollowServiceOptions>()!).Succeeded);
        Assert.True(new OutputOptionsValidator().Validate(null, config.GetSection(OutputOptions.Section).Get<OutputOptions>()!).Succeeded);
        Assert.True(new MqttOptionsValidator().Validate(null, config.GetSection(MqttOptions.Section).Get<MqttOptions>()!).Succeeded);
        var web = config.GetSection(WebOptions.Section).Get<WebOptions>()!;
        var withoutToken = new WebOptionsValidator().Validate(null, web);
        Assert.Contains("Edge:Web:Token", withoutToken.FailureMessage);
        web.Token = "0123456789abcdef0123456789abcdef";
        Assert.True(new WebOptionsValidator().Validate(null, web).Succeeded);
        Assert.Contains("Edge__Web__Token=", File.ReadAllLines(Deploy("edge.env")));
    }

    private static void AssertBinds(IConfigurationSection section, Type type)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            Assert.True(properties.TryGetValue(child.Key, out var property), $"{child.Path} does not bind to {type.Name}");
            if (child.GetChildren().Any() && property.PropertyType.IsClass && property.PropertyType != typeof(string))
            {
                AssertBinds(child, property.PropertyType);
            }
        }
    }

    [Fact]
    public void UnitSupervisesTheService()
    {
        var unit = File.ReadAllLines(Deploy("edge.service")).Where(l => l.Contains('=') && !l.StartsWith('#')).ToList();
        Assert.Contains("Type=notify", unit);
        Assert.Contains("Restart=on-failure", unit);
        Assert.Contains("WatchdogSec=30s", unit);
        Assert.Contains("EnvironmentFile=/etc/edge/edge.env", unit);
        Assert.Contains("ExecStart=/opt/edge/edge $EDGE_VERB --config ${EDGE_CONFIG}", unit);
        var env = File.ReadAllLines(Deploy("edge.env"));
        // The verb must exist: `edge run` is the service (Edge.Service's host around the pipeline).
        Assert.Contains("EDGE_VERB=run", env);
        Assert.Contains(EdgeCommands.CreateRoot().Subcommands, c => c.Name == "run");
        Assert.Contains("EDGE_CONFIG=/etc/edge/appsettings.Jetson.json", env);
        Assert.Contains("DOTNET_ENVIRONMENT=Jetson", env);
    }

    [Fact]
    public void InstallStagesTheLayoutAndKeepsEditedConfiguration()
    {
        string dir = TestData.NewTempDir("install");
        string publish = Directory.CreateDirectory(Path.Combine(dir, "publish")).FullName;
        string natives = Directory.CreateDirectory(Path.Combine(dir, "natives")).FullName;
        foreach (string f in new[] { "edge.dll", "edge" })
        {
            File.WriteAllText(Path.Combine(publish, f), "x");
        }
        foreach (string f in new[] { "libonnxruntime.so", "libonnxruntime_providers_tensorrt.so", "libOpenCvSharpExtern.so" })
        {
            File.WriteAllText(Path.Combine(natives, f), "x");
        }
        string root = Path.Combine(dir, "root");

        var (exit, output) = Install("--publish", publish, "--natives", natives, "--destdir", root);
        Assert.True(exit == 0, output);
        foreach (string f in new[] { "opt/edge/edge.dll", "opt/edge/libonnxruntime_providers_tensorrt.so", "opt/edge/libOpenCvSharpExtern.so",
            "etc/edge/edge.env", "etc/edge/appsettings.Jetson.json", "etc/systemd/system/edge.service" })
        {
            Assert.True(File.Exists(Path.Combine(root, f)), f);
        }
        Assert.True(Directory.Exists(Path.Combine(root, "var/cache/edge/tensorrt")));
        // First install: a control token is generated (the web view binds beyond loopback).
        Assert.Matches("^Edge__Web__Token=[0-9a-f]{48}$", File.ReadAllLines(Path.Combine(root, "etc/edge/edge.env")).Single(l => l.StartsWith("Edge__Web__Token=", StringComparison.Ordinal)));

        // An edited configuration survives an upgrade; the new default lands beside it.
        string env = Path.Combine(root, "etc/edge/edge.env");
        File.AppendAllText(env, "Edge__Source__Kind=Usb\n");
        (exit, output) = Install("--publish", publish, "--natives", natives, "--destdir", root);
        Assert.True(exit == 0, output);
        Assert.EndsWith("Edge__Source__Kind=Usb\n", File.ReadAllText(env));
        Assert.True(File.Exists(env + ".new"));
        Assert.True(File.Exists(Path.Combine(root, "opt/edge.prev/edge.dll")));

        // NuGet's CPU libonnxruntime.so in the publish output would shadow the device build.
        File.WriteAllText(Path.Combine(publish, "libonnxruntime.so"), "x");
        (exit, output) = Install("--publish", publish, "--natives", natives, "--destdir", root);
        Assert.Equal(1, exit);
        Assert.Contains("publish with -p:EdgeGpu=true", output);
    }

    private static (int Exit, string Output) Install(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Deploy("install.sh"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }
}
