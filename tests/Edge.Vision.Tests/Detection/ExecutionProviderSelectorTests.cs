using Edge.Detection;
using Microsoft.Extensions.Logging;

namespace Edge.Tests.DetectionTests;

public class ExecutionProviderSelectorTests
{
    private static readonly string[] CpuOnly = ["CPUExecutionProvider"];
    private static readonly string[] Gpu = ["TensorrtExecutionProvider", "CUDAExecutionProvider", "CPUExecutionProvider"];

    [Fact]
    public void TensorRtMissingFallsBackToCuda()
    {
        var log = new ListLogger();
        var appended = new List<string>();
        string chosen = new ExecutionProviderSelector(["CUDAExecutionProvider", "CPUExecutionProvider"], log)
            .Select(["TensorRT", "CUDA", "CPU"], appended.Add);

        Assert.Equal("CUDA", chosen);
        Assert.Equal(["CUDA"], appended);
        (LogLevel level, string message) = Assert.Single(log.Lines);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("TensorRT is not available", message);
        Assert.Contains("falling back to CUDA", message);
    }

    [Fact]
    public void BothMissingFallsBackToCpuWithOneLineEach()
    {
        var log = new ListLogger();
        var appended = new List<string>();
        string chosen = new ExecutionProviderSelector(CpuOnly, log).Select(["TensorRT", "CUDA", "CPU"], appended.Add);

        Assert.Equal("CPU", chosen);
        Assert.Empty(appended);
        Assert.Equal(2, log.Lines.Count);
        Assert.Contains("TensorRT", log.Lines[0].Message);
        Assert.Contains("falling back to CUDA", log.Lines[0].Message);
        Assert.Contains("CUDA is not available", log.Lines[1].Message);
        Assert.Contains("available: CPUExecutionProvider", log.Lines[1].Message);
        Assert.Contains("falling back to CPU", log.Lines[1].Message);
    }

    [Fact]
    public void AppendFailureFallsBackWithTheReason()
    {
        var log = new ListLogger();
        string chosen = new ExecutionProviderSelector(Gpu, log).Select(
            ["TensorRT", "CUDA"],
            name => throw new InvalidOperationException(name == "TensorRT" ? "libnvinfer.so.10: cannot open shared object file" : "no CUDA device"));

        Assert.Equal("CPU", chosen);
        Assert.Equal(2, log.Lines.Count);
        Assert.Contains("TensorRT failed to initialise (libnvinfer.so.10: cannot open shared object file)", log.Lines[0].Message);
        Assert.Contains("CUDA failed to initialise (no CUDA device); falling back to CPU", log.Lines[1].Message);
    }

    [Fact]
    public void FirstAvailableProviderWinsSilently()
    {
        var log = new ListLogger();
        var appended = new List<string>();
        Assert.Equal("TensorRT", new ExecutionProviderSelector(Gpu, log).Select(["tensorrt", "CPU"], appended.Add));
        Assert.Equal(["TensorRT"], appended);
        Assert.Empty(log.Lines);
    }

    [Fact]
    public void UnknownProviderIsAnError()
    {
        var ex = Assert.Throws<EdgeException>(() => new ExecutionProviderSelector(CpuOnly, new ListLogger()).Select(["OpenVINO"], _ => { }));
        Assert.Contains("'OpenVINO'", ex.Message);
        Assert.Contains("TensorRT, CUDA, CPU", ex.Message);
    }

    [Fact]
    public void RealDetectorOnThisMachineEndsOnCpuAndLogsWhy()
    {
        var log = new ListLogger();
        using var detector = YoloDetector.Create(
            new DetectorOptions { Model = TestData.Model("yolox_nano.onnx"), Providers = ["CUDA", "CPU"] }, log);
        Assert.Equal("CPU", detector.ExecutionProvider);
        Assert.Contains(log.Lines, l => l.Level == LogLevel.Warning && l.Message.Contains("CUDA is not available"));
    }
}
