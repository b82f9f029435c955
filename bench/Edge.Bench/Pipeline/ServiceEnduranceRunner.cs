using System.Diagnostics;
using System.Globalization;
using Edge.Service.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Edge.Bench.Pipeline;

/// <summary><c>dotnet run -c Release --project bench/Edge.Bench -- service --frames 10000 [--interval 1000] [--model M]</c>:
/// the <c>edge run</c> host in-process (same worker, sinks, web view, event log; MQTT off) on vtest.avi looped
/// (<c>Edge:Source:Loop</c>) with Follow Me locked on the largest person, scraping /metrics and /api/tracks every
/// sample. Every <c>--interval</c> frames it prints the managed heap after a full blocking GC, the working set and the
/// bytes allocated per frame since the previous sample: a leak shows as a heap or working set that keeps rising.</summary>
internal static class ServiceEnduranceRunner
{
    public static async Task<int> RunAsync(string[] args)
    {
        long frames = IntArg(args, "--frames", 10_000);
        long interval = IntArg(args, "--interval", 1000);
        string model = StringArg(args, "--model", "yolov8n_w8dq");
        string dir = Directory.CreateTempSubdirectory("edge-endurance-").FullName;
        Environment.SetEnvironmentVariable("EDGE_MODELS_DIR", Environment.GetEnvironmentVariable("EDGE_MODELS_DIR") ?? BenchData.ModelsDir);
        string[] config =
        [
            $"--Edge:Source:Uri={BenchData.VideoPath}", "--Edge:Source:Loop=true",
            $"--Edge:Detector:Model={model}", "--Edge:Detector:Classes:0=person",
            "--Edge:Follow:Select=Largest", "--Edge:Mqtt:Enabled=false", "--Edge:Web:Urls=http://127.0.0.1:0",
            $"--Edge:Service:EventLogPath={Path.Combine(dir, "events.jsonl")}", "--Logging:LogLevel:Default=Warning",
        ];
        var app = EdgeRunHost.Build(config);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync().ConfigureAwait(false);
            var worker = app.Services.GetRequiredService<ServicePipelineWorker>();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            Console.WriteLine($"service endurance: {model}, {frames} frames of vtest.avi looped, sample every {interval}, cores {Environment.ProcessorCount}");
            Console.WriteLine("  frames  elapsed s    fps  heap MB (after GC)  working set MB  alloc KB/frame  events  open fds  gen2 (not forced)");
            var clock = Stopwatch.StartNew();
            long next = interval, lastAllocated = GC.GetTotalAllocatedBytes(precise: true), lastFrames = 0;
            // Each sample forces one blocking gen2 collection; the column subtracts those, so what is left is what the
            // pipeline itself caused (the issue asks for none per frame).
            int forcedGen2 = 0, gen2AtStart = GC.CollectionCount(2);
            using var process = Process.GetCurrentProcess();
            while (true)
            {
                await Task.Delay(200).ConfigureAwait(false);
                long done = worker.Frames;
                if (done < next)
                {
                    continue;
                }
                _ = await http.GetStringAsync("metrics").ConfigureAwait(false);
                _ = await http.GetStringAsync("api/tracks").ConfigureAwait(false);
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                int gen2BeforeSample = GC.CollectionCount(2);
                long heap = GC.GetTotalMemory(forceFullCollection: true);
                forcedGen2 += GC.CollectionCount(2) - gen2BeforeSample;
                int unforcedGen2 = GC.CollectionCount(2) - gen2AtStart - forcedGen2;
                int openFds = OperatingSystem.IsLinux() ? Directory.GetFileSystemEntries("/proc/self/fd").Length : -1;
                process.Refresh();
                long events = File.ReadLines(Path.Combine(dir, "events.jsonl")).LongCount();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{done,8} {clock.Elapsed.TotalSeconds,10:0.0} {done / clock.Elapsed.TotalSeconds,6:0.0} {heap / 1048576.0,19:0.00} {process.WorkingSet64 / 1048576.0,15:0.0} {(allocated - lastAllocated) / 1024.0 / Math.Max(1, done - lastFrames),15:0.0} {events,7} {openFds,9} {unforcedGen2,18}"));
                lastAllocated = allocated;
                lastFrames = done;
                next = (done / interval + 1) * interval;
                if (done >= frames)
                {
                    break;
                }
            }
            await app.StopAsync().ConfigureAwait(false);
        }
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static long IntArg(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string StringArg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
