using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Edge.Platform;

/// <summary>Whether a native library could be loaded, and under which name.</summary>
public sealed record NativeLibraryProbe(string Purpose, string? LoadedName, IReadOnlyList<string> Tried)
{
    public bool Loaded => LoadedName is not null;
}

/// <summary>The CUDA device a TensorRT engine is built for.</summary>
public sealed record GpuDevice(int Id, string Name, int ComputeMajor, int ComputeMinor)
{
    /// <summary>"8.7" for Orin, "7.2" for Xavier.</summary>
    public string ComputeCapability => string.Create(CultureInfo.InvariantCulture, $"{ComputeMajor}.{ComputeMinor}");
}

/// <summary>Finds CUDA and TensorRT by loading their shared libraries the way ONNX Runtime's providers will
/// (dlopen by soname through the loader path; JetPack puts them in /usr/lib/aarch64-linux-gnu and
/// /usr/local/cuda/lib64). Only the stable C entry points are called: TensorRT's <c>getInferLibVersion</c> and the
/// CUDA driver API (<c>cuInit</c>, <c>cuDeviceGetName</c>, <c>cuDeviceGetAttribute</c>), whose ABI does not change
/// between CUDA releases, unlike <c>cudaDeviceProp</c>.</summary>
public static unsafe class GpuPlatformProbe
{
    public static readonly string[] TensorRtNames = ["libnvinfer.so.10", "libnvinfer.so.8", "libnvinfer.so"];
    public static readonly string[] CudaRuntimeNames = ["libcudart.so.12", "libcudart.so.11.0", "libcudart.so"];
    public static readonly string[] CudaDriverNames = ["libcuda.so.1", "libcuda.so"];

    // CUdevice_attribute values from cuda.h.
    private const int ComputeCapabilityMajorAttribute = 75;
    private const int ComputeCapabilityMinorAttribute = 76;

    public static NativeLibraryProbe TryLoad(string purpose, IReadOnlyList<string> names)
    {
        foreach (string name in names)
        {
            if (NativeLibrary.TryLoad(name, out _))
            {
                return new NativeLibraryProbe(purpose, name, names);
            }
        }
        return new NativeLibraryProbe(purpose, null, names);
    }

    /// <summary>TensorRT version ("10.3.0"), or null when libnvinfer cannot be loaded.</summary>
    public static string? TensorRtVersion()
    {
        foreach (string name in TensorRtNames)
        {
            if (NativeLibrary.TryLoad(name, out var handle) && NativeLibrary.TryGetExport(handle, "getInferLibVersion", out var fn))
            {
                return FormatInferLibVersion(((delegate* unmanaged<int>)fn)());
            }
        }
        return null;
    }

    /// <summary>Formats <c>getInferLibVersion()</c>: TensorRT 10 encodes major*10000+minor*100+patch, TensorRT 8
    /// major*1000+minor*100+patch (NvInferVersion.h).</summary>
    public static string FormatInferLibVersion(int version) => version >= 100_000
        ? string.Create(CultureInfo.InvariantCulture, $"{version / 10000}.{version / 100 % 100}.{version % 100}")
        : string.Create(CultureInfo.InvariantCulture, $"{version / 1000}.{version / 100 % 10}.{version % 100}");

    /// <summary>The CUDA device <paramref name="deviceId"/>, or null (with the reason) when there is no driver or device.</summary>
    public static GpuDevice? Gpu(int deviceId, out string? problem)
    {
        problem = null;
        nint lib = 0;
        foreach (string soname in CudaDriverNames)
        {
            if (NativeLibrary.TryLoad(soname, out lib))
            {
                break;
            }
        }
        if (lib == 0)
        {
            problem = $"CUDA driver library not found ({string.Join(", ", CudaDriverNames)})";
            return null;
        }
        var cuInit = (delegate* unmanaged<uint, int>)NativeLibrary.GetExport(lib, "cuInit");
        var cuDeviceGet = (delegate* unmanaged<int*, int, int>)NativeLibrary.GetExport(lib, "cuDeviceGet");
        var cuDeviceGetName = (delegate* unmanaged<byte*, int, int, int>)NativeLibrary.GetExport(lib, "cuDeviceGetName");
        var cuDeviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)NativeLibrary.GetExport(lib, "cuDeviceGetAttribute");
        int rc = cuInit(0);
        if (rc != 0)
        {
            problem = $"cuInit failed with CUresult {rc} (no GPU visible, or the user is not in the 'video'/'render' group)";
            return null;
        }
        int device;
        if ((rc = cuDeviceGet(&device, deviceId)) != 0)
        {
            problem = $"cuDeviceGet({deviceId}) failed with CUresult {rc}";
            return null;
        }
        byte* name = stackalloc byte[256];
        int major, minor;
        if (cuDeviceGetName(name, 256, device) != 0
            || cuDeviceGetAttribute(&major, ComputeCapabilityMajorAttribute, device) != 0
            || cuDeviceGetAttribute(&minor, ComputeCapabilityMinorAttribute, device) != 0)
        {
            problem = $"cannot query CUDA device {deviceId}";
            return null;
        }
        return new GpuDevice(deviceId, Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name)), major, minor);
    }
}
