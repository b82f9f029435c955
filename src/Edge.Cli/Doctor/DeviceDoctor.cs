using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Edge.Detection;
using Edge.Models;
using Edge.Platform;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using OpenCvSharp;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Edge.Cli.Doctor;

/// <summary>Checks that this machine can run the configured service: runtime, ONNX Runtime providers and the one the
/// model will use, CUDA/TensorRT libraries, cameras, OpenCV's GStreamer support, model files and their checksums,
/// and write access to the engine cache and output folders. Reads the service's configuration contract
/// (docs/jetson.md: Edge:Source, Edge:Detector, Edge:Output).</summary>
public sealed partial class DeviceDoctor(IConfiguration config, DoctorRequirements requirements, ModelResolver? resolver = null)
{
    public const string DetectorSection = "Edge:Detector";

    private readonly List<DoctorCheck> _checks = [];
    private readonly ModelResolver _resolver = resolver ?? new ModelResolver();
    private DetectorOptions _options = new();
    private bool _gstreamer;

    public IReadOnlyList<DoctorCheck> Run()
    {
        _checks.Clear();
        CheckPlatform();
        CheckDetectorOptions();
        var available = CheckOnnxRuntime();
        var native = CheckGpuLibraries();
        CheckProviders(available, native);
        CheckOpenCv();
        CheckCameras();
        string? model = CheckModel();
        CheckOtherModels(model);
        CheckWritable("Engine cache dir", "Edge:Detector:TensorRt:EngineCacheDir", required: ConfiguredProviders().Contains("TensorRT"));
        CheckWritable("Output dir", "Edge:Output:Directory", required: true);
        CheckEngineCache(model, native);
        return _checks;
    }

    /// <summary>Provider names as configured ("TensorRT", "CUDA", "CPU"), or ["CPU"] when none are.</summary>
    public IReadOnlyList<string> ConfiguredProviders() =>
        _options.EffectiveProviders.Select(p => ExecutionProviderSelector.Canonical(p) ?? p).ToList();

    /// <summary>Binds Edge:Detector the way the service does and runs the detector's own validation.</summary>
    private void CheckDetectorOptions()
    {
        try
        {
            _options = config.GetSection(DetectorSection).Get<DetectorOptions>() ?? new DetectorOptions();
            _options.Validate();
            Add("Detector settings", CheckStatus.Ok, $"model {_options.Model}, providers [{string.Join(", ", _options.EffectiveProviders)}]");
        }
        catch (Exception ex) when (ex is EdgeException or InvalidOperationException)
        {
            Add("Detector settings", CheckStatus.Fail, $"{DetectorSection}: {ex.Message}", "fix the setting named above (docs/jetson.md lists the keys)");
        }
    }

    private void Add(string name, CheckStatus status, string detail, string? fix = null) => _checks.Add(new DoctorCheck(name, status, detail, fix));

    private void CheckPlatform()
    {
        string jetson = ReadText("/proc/device-tree/model") is { } m ? $", {m.TrimEnd('\0')}" : "";
        string l4t = ReadText("/etc/nv_tegra_release") is { } r ? $", L4T {r.Split('\n')[0].Trim()}" : "";
        Add("OS", CheckStatus.Info, $"{RuntimeInformation.OSDescription}, {RuntimeInformation.OSArchitecture}{jetson}{l4t}");
        Add(".NET", CheckStatus.Info, $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier}, process {RuntimeInformation.ProcessArchitecture})");
    }

    private HashSet<string> CheckOnnxRuntime()
    {
        try
        {
            var env = OrtEnv.Instance();
            var providers = env.GetAvailableProviders();
            Add("ONNX Runtime", CheckStatus.Ok, $"{env.GetVersionString()}, providers: {string.Join(", ", providers)}");
            return providers.ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or OnnxRuntimeException or BadImageFormatException)
        {
            Add("ONNX Runtime", CheckStatus.Fail, $"native library does not load: {Innermost(ex).Message}",
                "a GPU (-p:EdgeGpu=true) build needs libonnxruntime.so from deploy/jetson/build-onnxruntime.sh next to edge.dll (deploy/jetson/install.sh copies it); a CPU build must be published for this machine's RID");
            return [];
        }
    }

    private Dictionary<string, NativeLibraryProbe> CheckGpuLibraries()
    {
        var probes = new Dictionary<string, NativeLibraryProbe>
        {
            ["TensorRT"] = GpuPlatformProbe.TryLoad("TensorRT", GpuPlatformProbe.TensorRtNames),
            ["CUDA"] = GpuPlatformProbe.TryLoad("CUDA runtime", GpuPlatformProbe.CudaRuntimeNames),
        };
        var cuda = probes["CUDA"];
        Add("CUDA runtime", cuda.Loaded ? CheckStatus.Ok : CheckStatus.Info,
            cuda.Loaded ? $"{cuda.LoadedName} loads" : $"not found ({string.Join(", ", cuda.Tried)})");
        var trt = probes["TensorRT"];
        Add("TensorRT", trt.Loaded ? CheckStatus.Ok : CheckStatus.Info,
            trt.Loaded ? $"{trt.LoadedName} loads, version {GpuPlatformProbe.TensorRtVersion() ?? "?"}" : $"not found ({string.Join(", ", trt.Tried)})");
        if (cuda.Loaded)
        {
            var gpu = GpuPlatformProbe.Gpu(_options.Cuda.DeviceId, out string? problem);
            Add("GPU", gpu is null ? CheckStatus.Warn : CheckStatus.Ok,
                gpu is null ? problem ?? "no device" : $"device {gpu.Id}: {gpu.Name}, compute capability {gpu.ComputeCapability}",
                gpu is null ? "add the service user to the 'video' and 'render' groups; check that nvidia-smi/tegrastats sees the GPU" : null);
        }
        return probes;
    }

    /// <summary>Runs the detector's own <see cref="ExecutionProviderSelector"/> against a throwaway session: each
    /// provider really is appended (so a provider library that fails to load is caught), after a check that its CUDA
    /// and TensorRT libraries load. The engine cache folder is left out so the doctor writes nothing.</summary>
    private void CheckProviders(HashSet<string> available, Dictionary<string, NativeLibraryProbe> native)
    {
        if (available.Count == 0)
        {
            return;
        }
        var configured = ConfiguredProviders();
        var log = new CollectingLogger();
        var dryRun = _options with { TensorRt = _options.TensorRt with { EngineCacheDir = null } };
        string selected;
        using (var session = new SessionOptions())
        {
            var append = ExecutionProviderSelector.AppendTo(session, dryRun, available);
            try
            {
                selected = new ExecutionProviderSelector(available, log).Select(configured, name =>
                {
                    if (MissingLibraries(name, native) is { } missing)
                    {
                        throw new EdgeException(missing);
                    }
                    append(name);
                });
            }
            catch (EdgeException ex)
            {
                Add("Provider", CheckStatus.Fail, ex.Message, "use TensorRT, CUDA or CPU in Edge:Detector:Providers");
                return;
            }
        }
        string skipped = log.Messages.Count > 0 ? $" (skipped: {string.Join(" ", log.Messages)})" : "";
        Add("Provider", selected == configured[0] ? CheckStatus.Ok : CheckStatus.Warn, $"{_options.Model} will run on {selected}{skipped}");

        string? required = requirements.RequiredProvider is { } r ? ExecutionProviderSelector.Canonical(r) ?? r
            : requirements.RequireFirstProvider ? configured[0] : null;
        if (required is not null && required != selected)
        {
            string why = !available.Contains(OrtName(required)) ? $"this ONNX Runtime build has no {OrtName(required)}"
                : MissingLibraries(required, native) ?? (configured.Contains(required) ? "it failed to initialise (see above)" : "it is not listed in Edge:Detector:Providers");
            Add("Required provider", CheckStatus.Fail, $"{required} is required but {_options.Model} would run on {selected}: {why}", FixFor(required));
        }
    }

    private static string? MissingLibraries(string provider, Dictionary<string, NativeLibraryProbe> native)
    {
        if (provider == "TensorRT" && !native["TensorRT"].Loaded)
        {
            return $"TensorRT library not found ({string.Join(", ", native["TensorRT"].Tried)})";
        }
        if (provider is "TensorRT" or "CUDA" && !native["CUDA"].Loaded)
        {
            return $"CUDA runtime not found ({string.Join(", ", native["CUDA"].Tried)})";
        }
        return null;
    }

    private static string OrtName(string provider) => provider switch
    {
        "TensorRT" => "TensorrtExecutionProvider",
        "CUDA" => "CUDAExecutionProvider",
        "CPU" => "CPUExecutionProvider",
        _ => provider,
    };

    private static string FixFor(string provider) => provider switch
    {
        "TensorRT" => "on a Jetson: install JetPack 6.1's TensorRT (sudo apt install nvidia-tensorrt), build ONNX Runtime with --use_tensorrt (deploy/jetson/build-onnxruntime.sh), publish with -p:EdgeGpu=true and install with deploy/jetson/install.sh; elsewhere drop the requirement",
        "CUDA" => "install JetPack's CUDA (sudo apt install nvidia-cuda) and the GPU ONNX Runtime build (deploy/jetson/build-onnxruntime.sh, publish with -p:EdgeGpu=true)",
        _ => $"add {provider} to Edge:Detector:Providers",
    };

    private void CheckOpenCv()
    {
        try
        {
            string info = Cv2.GetBuildInformation();
            var match = GstreamerLine().Match(info);
            string gst = match.Success ? match.Groups[1].Value.Trim() : "not listed";
            _gstreamer = gst.StartsWith("YES", StringComparison.OrdinalIgnoreCase);
            Add("OpenCV", CheckStatus.Ok, $"{Cv2.GetVersionString()}, GStreamer: {gst}");
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException)
        {
            Add("OpenCV", CheckStatus.Fail, $"libOpenCvSharpExtern does not load: {Innermost(ex).Message}",
                "on a Jetson build it with deploy/jetson/build-opencvsharp.sh and install it next to edge.dll; on x64 run scripts/ensure-deps runtime (OpenCV's GUI/codec dependencies)");
        }
    }

    private void CheckCameras()
    {
        var devices = Directory.Exists("/dev") ? Directory.GetFiles("/dev", "video*").Order(StringComparer.Ordinal).ToList() : [];
        Add("Cameras", CheckStatus.Info, devices.Count > 0 ? string.Join(", ", devices) : "no /dev/video* devices");

        string? kind = config["Edge:Source:Kind"];
        switch (kind?.ToLowerInvariant())
        {
            case null:
                Add("Source", CheckStatus.Info, "no Edge:Source:Kind configured");
                break;
            case "csi":
                RequireGstreamer("Csi");
                bool argus = File.Exists("/tmp/argus_socket");
                Add("Source", argus ? CheckStatus.Ok : CheckStatus.Warn, argus ? "CSI via nvarguscamerasrc, Argus socket present" : "CSI via nvarguscamerasrc, but /tmp/argus_socket is missing",
                    argus ? null : "sudo systemctl enable --now nvargus-daemon (JetPack), and check the sensor with: gst-launch-1.0 nvarguscamerasrc num-buffers=30 ! fakesink");
                break;
            case "usb":
                if (!string.IsNullOrWhiteSpace(config["Edge:Source:Usb:Pipeline"]))
                {
                    RequireGstreamer("Usb");
                }
                string device = config["Edge:Source:Usb:Device"] ?? "/dev/video0";
                bool present = File.Exists(device) || devices.Contains(device);
                Add("Source", present ? CheckStatus.Ok : CheckStatus.Fail, present ? $"USB camera {device}" : $"USB camera {device} not found (Edge:Source:Usb:Device)",
                    present ? null : "plug the camera in, check v4l2-ctl --list-devices, and that the service user is in the 'video' group");
                break;
            case "file":
                string path = Resolve(config["Edge:Source:File:Path"] ?? "");
                bool exists = File.Exists(path);
                Add("Source", exists ? CheckStatus.Ok : CheckStatus.Fail, exists ? $"file {path}" : $"file {path} not found (Edge:Source:File:Path)",
                    exists ? null : "set Edge:Source:File:Path to an existing video");
                break;
            default:
                Add("Source", CheckStatus.Fail, $"Edge:Source:Kind \"{kind}\" is not one of Csi, Usb, File", "set Edge:Source:Kind to Csi, Usb or File");
                break;
        }
    }

    private void RequireGstreamer(string kind)
    {
        if (!_gstreamer && _checks.Any(c => c.Name == "OpenCV" && c.Status != CheckStatus.Fail))
        {
            Add("GStreamer", CheckStatus.Fail, $"Edge:Source:Kind={kind} opens a GStreamer pipeline, but this OpenCV build has no GStreamer",
                "use libOpenCvSharpExtern.so built against JetPack's OpenCV (deploy/jetson/build-opencvsharp.sh); NuGet's OpenCvSharp runtime has no GStreamer");
        }
    }

    private string? CheckModel()
    {
        string path;
        try
        {
            path = _resolver.Resolve(_options.Model);
        }
        catch (EdgeException ex)
        {
            Add("Model", CheckStatus.Fail, ex.Message.ReplaceLineEndings(" "),
                "copy the model to /var/lib/edge/models (deploy/jetson/install.sh --models DIR), set EDGE_MODELS_DIR, or fix Edge:Detector:Model");
            return null;
        }
        string sha = TensorRtEngineCache.Sha256OfFile(path);
        ModelManifest? manifest = ModelManifest.FindFor(path, _resolver.SearchDirectories);
        // Match on the file name only: a truncated or swapped file must show up as a checksum mismatch.
        var entry = manifest?.Models.FirstOrDefault(m => string.Equals(m.File, Path.GetFileName(path), StringComparison.OrdinalIgnoreCase));
        if (manifest is null || entry is null)
        {
            Add("Model", CheckStatus.Ok, $"{path} sha256 {sha}{(manifest is null ? " (no manifest.json to compare)" : $" (not listed in {manifest.Path})")}");
        }
        else if (string.Equals(entry.Sha256, sha, StringComparison.OrdinalIgnoreCase))
        {
            Add("Model", CheckStatus.Ok, $"{path} sha256 {sha} matches {manifest.Path}");
        }
        else
        {
            Add("Model", CheckStatus.Fail, $"{path} sha256 {sha} but {manifest.Path} says {entry.Sha256}",
                "the file is corrupt or a different model: copy it again (models/fetch verifies), or update the manifest");
        }
        CheckModelLayout(path, entry);
        return path;
    }

    /// <summary>Opens the model on the CPU and reads it as the detector would: a checksum says the file is intact, not
    /// that it is a detector (a re-id or classifier model passes the checksum and fails at start).</summary>
    private void CheckModelLayout(string path, ModelManifestEntry? entry)
    {
        try
        {
            using var session = new InferenceSession(path);
            DetectorModel model = DetectorModelReader.Read(session, path, entry);
            Add("Model layout", CheckStatus.Ok,
                $"{model.Info.Layout}, input {model.Info.InputWidth}x{model.Info.InputHeight}, {model.Info.NumClasses} classes");
        }
        catch (Exception ex) when (ex is EdgeException or OnnxRuntimeException)
        {
            Add("Model layout", CheckStatus.Fail, ex.Message.ReplaceLineEndings(" "),
                $"{DetectorSection}:Model must name a YOLO-family detector (docs/models.md lists the layouts Edge reads)");
        }
    }

    /// <summary>The other .onnx files beside the configured model, against the same manifest. Not required, so a
    /// mismatch only warns.</summary>
    private void CheckOtherModels(string? configured)
    {
        if (configured is null || Path.GetDirectoryName(configured) is not { } dir)
        {
            return;
        }
        var manifest = ModelManifest.FindFor(configured, _resolver.SearchDirectories);
        foreach (string file in Directory.EnumerateFiles(dir, "*.onnx").Where(f => f != configured).Order(StringComparer.Ordinal))
        {
            string sha = TensorRtEngineCache.Sha256OfFile(file);
            var entry = manifest?.Models.FirstOrDefault(m => string.Equals(m.File, Path.GetFileName(file), StringComparison.OrdinalIgnoreCase));
            if (entry is null)
            {
                Add("Model file", CheckStatus.Info, $"{Path.GetFileName(file)} sha256 {sha} (not in a manifest)");
            }
            else if (string.Equals(entry.Sha256, sha, StringComparison.OrdinalIgnoreCase))
            {
                Add("Model file", CheckStatus.Ok, $"{Path.GetFileName(file)} sha256 {sha} matches");
            }
            else
            {
                Add("Model file", CheckStatus.Warn, $"{Path.GetFileName(file)} sha256 {sha} but {manifest!.Path} says {entry.Sha256}",
                    "copy it again (models/fetch verifies) before using it");
            }
        }
    }

    /// <summary>Checks with access(2) instead of writing, so the doctor changes nothing; a folder that does not exist
    /// yet passes when its nearest existing parent is writable (the service creates it).</summary>
    private void CheckWritable(string name, string key, bool required)
    {
        string? configured = config[key];
        if (string.IsNullOrWhiteSpace(configured))
        {
            if (required)
            {
                Add(name, CheckStatus.Warn, $"{key} not set", $"set {key}");
            }
            return;
        }
        string dir = Resolve(configured);
        string? existing = dir;
        while (existing is not null && !Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
        }
        bool writable = existing is not null && Writable(existing);
        string where = existing == dir ? dir : $"{dir} (missing; {existing ?? "no parent"} {(writable ? "is" : "is not")} writable, the service creates it)";
        if (writable)
        {
            Add(name, CheckStatus.Ok, existing == dir ? $"{dir} writable ({key})" : $"{where} ({key})");
        }
        else
        {
            Add(name, required ? CheckStatus.Fail : CheckStatus.Warn, $"{(existing == dir ? $"{dir} not writable" : where)} ({key})",
                $"give it to the service user: sudo install -d -o edge -g edge {dir} (edge.service's StateDirectory/CacheDirectory do this for /var/lib/edge and /var/cache/edge)");
        }
    }

    private static bool Writable(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return true;
        }
        const int W_OK = 2, X_OK = 1;
        return Access(directory, W_OK | X_OK) == 0;
    }

    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);

    private void CheckEngineCache(string? model, Dictionary<string, NativeLibraryProbe> native)
    {
        if (model is null || !ConfiguredProviders().Contains("TensorRT") || !native["TensorRT"].Loaded || _options.TensorRt.EngineCacheDir is not { Length: > 0 } dir)
        {
            return;
        }
        // The detector's own reading (YoloDetector keys its engine cache by it), so the doctor looks for the same entry.
        int width, height;
        try
        {
            (width, height) = DetectorModelReader.ReadInputSize(model, ModelManifest.FindFor(model, _resolver.SearchDirectories)?.Find(model));
        }
        catch (EdgeException)
        {
            return; // not a detector: the model layout check says so
        }
        if (TensorRtEngineKey.ForDevice(model, width, height, _options.TensorRt.Fp16, _options.Cuda.DeviceId) is not { } key)
        {
            Add("TensorRT engine", CheckStatus.Warn, "TensorRT loads but the CUDA device does not answer; no engine can be built", "see the GPU line above");
            return;
        }
        string entry = Path.Combine(Resolve(dir), key.DirectoryName);
        string? problem = Directory.Exists(entry) ? TensorRtEngineCache.Validate(entry, key) : "not built yet";
        Add("TensorRT engine", CheckStatus.Info, problem is null ? $"cached: {entry}" : $"{problem}; the first start builds it into {entry} (minutes)");
    }

    /// <summary>Relative paths are relative to the working directory, as in the service (WorkingDirectory=/opt/edge).</summary>
    private static string Resolve(string path) => Path.GetFullPath(path);

    private sealed class CollectingLogger : ILogger
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);

    [GeneratedRegex(@"^\s*GStreamer:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex GstreamerLine();
}
