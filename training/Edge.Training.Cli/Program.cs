using System.CommandLine;
using Edge.Training.Cli;
using Edge.Training.Cli.Commands;

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

return await CliErrors.RunAsync(root, args);
