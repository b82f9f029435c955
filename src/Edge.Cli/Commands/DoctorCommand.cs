using System.CommandLine;
using Edge.Cli.Doctor;
using Edge.Service.Hosting;
using Microsoft.Extensions.Configuration;

namespace Edge.Cli.Commands;

/// <summary><c>edge doctor</c>: checks this machine against the service configuration and says how to fix what is
/// missing. Exit 0 when nothing required fails; deploy/jetson/edge.service runs it before every start.</summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Service configuration (appsettings JSON with Edge:Source, Edge:Detector, Edge:Output). Environment variables (Edge__Detector__Model=...) override it.",
        };
        var requireProvider = new Option<string?>("--require-provider")
        {
            Description = "Fail unless the configured model will run on this provider (TensorRT, CUDA or CPU).",
        };
        requireProvider.AcceptOnlyFromAmong([.. Edge.Detection.DetectorOptions.SupportedProviders]);
        var requireFirst = new Option<bool>("--require-first-provider")
        {
            Description = "Fail unless the first entry of Edge:Detector:Providers is the one that will be used.",
        };
        var command = new Command("doctor", "Check OS, .NET, ONNX Runtime providers, CUDA/TensorRT, cameras, OpenCV GStreamer, models and folders; exit non-zero with the fix when something required is missing.");
        command.Options.Add(config);
        command.Options.Add(requireProvider);
        command.Options.Add(requireFirst);
        command.SetAction((parse, ct) =>
        {
            var file = parse.GetValue(config);
            var configuration = Load(file);
            var doctor = new DeviceDoctor(configuration, new DoctorRequirements(parse.GetValue(requireProvider), parse.GetValue(requireFirst)));
            var checks = doctor.Run();
            Print(checks, Console.Out);
            int failed = checks.Count(c => c.Status == CheckStatus.Fail);
            Console.Out.WriteLine(failed == 0 ? "doctor: ok" : $"doctor: {failed} required check(s) failed");
            return Task.FromResult(failed == 0 ? 0 : 1);
        });
        return command;
    }

    public static IConfiguration Load(FileInfo? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            builder.AddJsonSettingsFile(file.FullName);
        }
        return builder.AddEnvironmentVariables().Build();
    }

    public static void Print(IEnumerable<DoctorCheck> checks, TextWriter output)
    {
        foreach (var c in checks)
        {
            string tag = c.Status switch
            {
                CheckStatus.Ok => " ok ",
                CheckStatus.Info => "info",
                CheckStatus.Warn => "warn",
                _ => "FAIL",
            };
            output.WriteLine($"[{tag}] {c.Name,-18} {c.Detail}");
            if (c.Fix is not null && c.Status is CheckStatus.Fail or CheckStatus.Warn)
            {
                output.WriteLine($"       {"",-18} fix: {c.Fix}");
            }
        }
    }
}
