namespace Edge.Tests;

/// <summary>Runs a CLI entry point in process with the console captured. Console redirection is process-wide: callers
/// run in a non-parallel collection.</summary>
public static class ConsoleCapture
{
    public static async Task<(int Exit, string Out, string Error)> RunAsync(Func<string[], Task<int>> run, string[] args)
    {
        ArgumentNullException.ThrowIfNull(run);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        TextWriter oldOut = Console.Out, oldError = Console.Error;
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            int exit = await run(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }
}
