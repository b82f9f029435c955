using System.Runtime.InteropServices;

namespace Edge.Service.Tests.Fixtures;

/// <summary>POSIX signals for child processes (.NET only offers SIGKILL through Process.Kill).</summary>
public static partial class Signals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM, what systemd sends on <c>systemctl stop</c>.</summary>
    public static void Terminate(int pid)
    {
        if (Kill(pid, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
