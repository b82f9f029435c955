using System.CommandLine;

namespace Edge.CommandLine;

/// <summary>Turns user-input failures into one-line messages and a non-zero exit; stack traces only with --verbose.
/// Shared as a linked source file by the <c>edge</c> and <c>edge-train</c> executables (neither library should
/// depend on System.CommandLine).</summary>
internal static class CliErrors
{
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print stack traces.",
        Recursive = true,
    };

    /// <param name="tool">Executable name that prefixes every message.</param>
    /// <param name="cancelledHint">Appended to the cancellation message (e.g. how to resume).</param>
    public static async Task<int> RunAsync(RootCommand root, string[] args, string tool, string cancelledHint = "")
    {
        var parse = root.Parse(args);
        bool verbose = parse.GetValue(VerboseOption);
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{tool}: cancelled{cancelledHint}");
            return 130;
        }
        // UnauthorizedAccessException (an output path that is a folder or read-only) and SocketException (edge run's
        // bind errors) are user-input failures too, but derive from neither IOException nor EdgeException.
        catch (Exception ex) when (ex is EdgeException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
            or ArgumentException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"{tool}: {ex.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(ex);
            }
            return 1;
        }
    }
}
