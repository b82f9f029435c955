using Edge.Cli;

namespace Edge.Tests;

/// <summary>Runs <c>edge</c> verbs in process through the executable's root command and error handling, capturing
/// the console. Console redirection is process-wide, so classes using it share one non-parallel collection.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessCli
{
    public const string Name = "edge CLI in process";

    public static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        Environment.SetEnvironmentVariable("EDGE_MODELS_DIR", TestData.ModelsDir);
        return await ConsoleCapture.RunAsync(EdgeCommands.RunAsync, args);
    }
}
