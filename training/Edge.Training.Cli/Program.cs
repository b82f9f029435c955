using Edge.Training.Cli;

return await TrainingCommands.RunAsync(args);
