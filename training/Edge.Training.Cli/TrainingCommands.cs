using System.CommandLine;
using Edge.CommandLine;
using Edge.Training.Cli.Commands;

namespace Edge.Training.Cli;

/// <summary>The <c>edge-train</c> root command with every verb; the executable and the in-process tests share it.</summary>
public static class TrainingCommands
{
    /// <summary>Parses and runs one <c>edge-train</c> command line; failures become one-line messages and exit codes.</summary>
    public static Task<int> RunAsync(string[] args) => CliErrors.RunAsync(CreateRoot(), args, "edge-train", " (resume with --resume)");

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("edge-train: train, validate and export Edge models on a workstation (TorchSharp, no Python).");
        root.Options.Add(CliErrors.VerboseOption);
        foreach (var command in new[]
        {
            ClassifyCommand.Create(),
            DetectCommand.Create(),
            ValCommand.Create(),
            ExportCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }
        return root;
    }
}
