using System.CommandLine;
using Edge.Cli.Commands;
using Edge.CommandLine;
using Spectre.Console;

namespace Edge.Cli;

/// <summary>The <c>edge</c> root command with every verb; the executable and the in-process CLI tests share it.</summary>
public static class EdgeCommands
{
    /// <summary>Parses and runs one <c>edge</c> command line; failures become one-line messages and exit codes.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        RedirectedConsoleWidth.Apply(AnsiConsole.Console);
        return CliErrors.RunAsync(CreateRoot(), args, "edge");
    }

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Edge: real-time person detection, tracking and Follow Me on camera devices.");
        root.Options.Add(CliErrors.VerboseOption);
        foreach (var command in new[]
        {
            DetectCommand.Create(),
            TrackCommand.Create(),
            FollowCommand.Create(),
            MotCommand.Create(),
            FollowEvalCommand.Create(),
            SimulateDetsCommand.Create(),
            EvalMotCommand.Create(),
            RegressCommand.Create(),
            DoctorCommand.Create(),
            RunCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}
