using Edge.Cli;

return await CliErrors.RunAsync(EdgeCommands.CreateRoot(), args);
