using Spectre.Console;

namespace Edge.Cli;

/// <summary>Spectre assumes 80 columns when output is not a terminal; a piped or logged run keeps the run header and
/// every table row (eval-mot has 16 columns) on one line.</summary>
internal static class RedirectedConsoleWidth
{
    public const int Columns = 200;

    public static IAnsiConsole Apply(IAnsiConsole console)
    {
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = Columns;
        }
        return console;
    }
}
