using System.CommandLine;
using Edge.Training.Cli.Commands;

namespace Edge.Training.Cli;

/// <summary>The <c>edge-train</c> root command with every verb; the executable and the in-process tests share it.</summary>
public static class TrainingCommands
{
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
