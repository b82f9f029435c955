using System.CommandLine;

namespace Edge.Cli;

/// <summary>Turns failures into one-line messages and a non-zero exit; stack traces only with --verbose.</summary>
public static class CliErrors
{
    public static readonly Option<bool> VerboseOption = new("--verbose")
    {
        Description = "Print stack traces and debug logs.",
        Recursive = true,
    };

    public static async Task<int> RunAsync(RootCommand root, string[] args)
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
            Console.Error.WriteLine("edge: cancelled");
            return 130;
        }
        catch (Exception ex) when (ex is EdgeException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or ArgumentException or IOException)
        {
            Console.Error.WriteLine($"edge: {ex.Message}");
            if (verbose)
            {
                Console.Error.WriteLine(ex);
            }
            return 1;
        }
    }
}
