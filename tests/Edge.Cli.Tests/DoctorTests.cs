using System.Diagnostics;
using Edge.Cli.Doctor;
using Edge.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace Edge.Tests;

public class DoctorTests
{
    // sha256 of yolox_nano.onnx as listed in ../shared/models/README.md (computed there independently).
    private const string YoloxNanoSha256 = "695e750a5d5754bb5a8d5325643b59282191a7e7a564e435a415fd3c578eab14";
    // FIPS 180-2 test vector: SHA-256("abc").
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void PassesOnThisMachineWithTheCpuProvider()
    {
        string dir = TestData.NewTempDir("doctor");
        string config = WriteConfig(dir, providers: """["CPU"]""");

        var (exit, output) = RunEdge("doctor", "--config", config);

        Assert.True(exit == 0, output);
        Assert.Contains("yolox_nano.onnx will run on CPU", output);
        Assert.Contains($"sha256 {YoloxNanoSha256}", output);
        Assert.Contains("CPUExecutionProvider", output);
        Assert.EndsWith("doctor: ok", output.TrimEnd());
    }

    [Fact]
    public void FailsWithTheFixWhenTheConfigurationRequiresTensorRt()
    {
        Assert.False(OrtEnv.Instance().GetAvailableProviders().Contains("TensorrtExecutionProvider"),
            "this test expects a machine without TensorRT (CI); on a Jetson the same command passes");
        string dir = TestData.NewTempDir("doctor");
        string config = WriteConfig(dir, providers: """["TensorRT", "CUDA", "CPU"]""");

        var (exit, output) = RunEdge("doctor", "--config", config, "--require-first-provider");

        Assert.Equal(1, exit);
        Assert.Contains("[FAIL] Required provider  TensorRT is required but yolox_nano.onnx would run on CPU: this ONNX Runtime build has no TensorrtExecutionProvider", output);
        Assert.Contains("fix: on a Jetson: install JetPack 6.1's TensorRT", output);
        Assert.Contains("doctor: 1 required check(s) failed", output);

        // Without the requirement the same configuration falls back to CPU and passes with a warning.
        var (relaxed, relaxedOutput) = RunEdge("doctor", "--config", config);
        Assert.True(relaxed == 0, relaxedOutput);
        Assert.Contains("[warn] Provider", relaxedOutput);

        // --require-provider names the provider explicitly, whatever the list says.
        var (named, namedOutput) = RunEdge("doctor", "--config", WriteConfig(dir, providers: """["CPU"]"""), "--require-provider", "TensorRT");
        Assert.Equal(1, named);
        Assert.Contains("TensorRT is required", namedOutput);

        // A name ONNX Runtime does not have is refused before any check (its "fix" would point at a list that
        // refuses it too).
        var (unknown, unknownOutput) = RunEdge("doctor", "--config", config, "--require-provider", "Foo");
        Assert.NotEqual(0, unknown);
        Assert.Contains("'Foo'", unknownOutput);
        Assert.Contains("'TensorRT'", unknownOutput);
        Assert.DoesNotContain("[FAIL]", unknownOutput);
    }

    [Fact]
    public void MissingConfigurationFileIsNamed()
    {
        var (exit, output) = RunEdge("doctor", "--config", "/nonexistent/appsettings.json");
        Assert.Equal(1, exit);
        Assert.Contains("configuration file not found: /nonexistent/appsettings.json", output);
    }

    [Fact]
    public void ModelChecksumIsComparedWithTheManifest()
    {
        string dir = TestData.NewTempDir("doctor");
        File.WriteAllText(Path.Combine(dir, "tiny.onnx"), "abc");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), $$"""{ "models": [ { "name": "tiny", "file": "tiny.onnx", "sha256": "{{AbcSha256}}", "size": 3 } ] }""");
        var ok = Check(Run(dir, "tiny.onnx"), "Model");
        Assert.Equal(CheckStatus.Ok, ok.Status);
        Assert.Contains("matches", ok.Detail);

        File.WriteAllText(Path.Combine(dir, "tiny.onnx"), "abd");
        var bad = Check(Run(dir, "tiny.onnx"), "Model");
        Assert.Equal(CheckStatus.Fail, bad.Status);
        Assert.Contains($"manifest.json says {AbcSha256}", bad.Detail);

        // Another model in the folder is hashed and compared too, but only warns: the service does not use it.
        File.WriteAllText(Path.Combine(dir, "other.onnx"), "abc");
        File.WriteAllText(Path.Combine(dir, "manifest.json"), $$"""{ "models": [ { "name": "other", "file": "other.onnx", "sha256": "{{new string('0', 64)}}" } ] }""");
        var checks = Run(dir, "tiny.onnx");
        var other = Check(checks, "Model file");
        Assert.Equal(CheckStatus.Warn, other.Status);
        Assert.StartsWith($"other.onnx sha256 {AbcSha256} but", other.Detail);
        Assert.Equal(CheckStatus.Ok, Check(checks, "Model").Status); // tiny.onnx is not listed any more
    }

    [Fact]
    public void MissingModelAndUnknownSourceFail()
    {
        string dir = TestData.NewTempDir("doctor");
        var checks = Run(dir, "missing.onnx", ("Edge:Source:Kind", "Ftp"));
        Assert.Equal(CheckStatus.Fail, Check(checks, "Model").Status);
        Assert.Contains("Model 'missing.onnx' not found", Check(checks, "Model").Detail);
        Assert.Equal(CheckStatus.Fail, Check(checks, "Source").Status);
        Assert.Contains("\"Ftp\" is not one of Csi, Usb, File", Check(checks, "Source").Detail);
    }

    [Fact]
    public void AModelThatIsNoDetectorFailsItsLayoutCheck()
    {
        // The re-id model is a valid ONNX file with a good checksum, but the service would refuse it at start.
        string dir = TestData.NewTempDir("doctor");
        File.Copy(TestData.Model("osnet_x0_25_msmt17.onnx"), Path.Combine(dir, "osnet.onnx"));
        var checks = Run(dir, "osnet.onnx");

        var layout = Check(checks, "Model layout");
        Assert.Equal(CheckStatus.Fail, layout.Status);
        Assert.Contains("osnet.onnx", layout.Detail);
        Assert.Contains("Edge:Detector:Model", layout.Fix);

        File.Copy(TestData.Model("yolox_nano.onnx"), Path.Combine(dir, "yolox_nano.onnx"));
        Assert.Equal(CheckStatus.Ok, Check(Run(dir, "yolox_nano.onnx"), "Model layout").Status);
    }

    [Fact]
    public void UsbCameraThatIsNotThereFails()
    {
        string dir = TestData.NewTempDir("doctor");
        File.WriteAllText(Path.Combine(dir, "tiny.onnx"), "abc");
        var source = Check(Run(dir, "tiny.onnx", ("Edge:Source:Kind", "Usb"), ("Edge:Source:Usb:Device", "/dev/video-edge-test-missing")), "Source");
        Assert.Equal(CheckStatus.Fail, source.Status);
        Assert.Contains("/dev/video-edge-test-missing not found", source.Detail);
        Assert.NotNull(source.Fix);
    }

    private static IReadOnlyList<DoctorCheck> Run(string dir, string model, params (string Key, string Value)[] extra)
    {
        var values = new Dictionary<string, string?>
        {
            ["Edge:Detector:Model"] = model,
            ["Edge:Detector:Providers:0"] = "CPU",
            ["Edge:Output:Directory"] = Path.Combine(dir, "runs"),
        };
        foreach (var (k, v) in extra)
        {
            values[k] = v;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new DeviceDoctor(config, new DoctorRequirements(null, false), new ModelResolver(modelsDirectory: dir, currentDirectory: dir)).Run();
    }

    private static DoctorCheck Check(IReadOnlyList<DoctorCheck> checks, string name) =>
        checks.SingleOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"no '{name}' check in: {string.Join(" | ", checks)}");

    private static string WriteConfig(string dir, string providers)
    {
        string path = Path.Combine(dir, $"appsettings-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, $$"""
            {
              "Edge": {
                "Source": { "Kind": "File", "File": { "Path": "{{TestData.VideoPath}}" } },
                "Detector": {
                  "Model": "yolox_nano.onnx",
                  "Providers": {{providers}},
                  "TensorRt": { "Fp16": true, "EngineCacheDir": "{{Path.Combine(dir, "cache", "tensorrt")}}" }
                },
                "Output": { "Directory": "{{Path.Combine(dir, "runs")}}" }
              }
            }
            """);
        return path;
    }

    private static (int Exit, string Output) RunEdge(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edge.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["EDGE_MODELS_DIR"] = Path.GetDirectoryName(TestData.Model("yolox_nano.onnx"));
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"edge {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout + stderr.Result);
    }
}
