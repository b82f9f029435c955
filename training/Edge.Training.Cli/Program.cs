using Edge.Training.Cli;

return await CliErrors.RunAsync(TrainingCommands.CreateRoot(), args);
