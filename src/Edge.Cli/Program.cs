using Edge.Cli;

return await EdgeCommands.RunAsync(args);
