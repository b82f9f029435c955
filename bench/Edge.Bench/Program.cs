using BenchmarkDotNet.Running;
using Edge.Bench.Appearance;
using Edge.Bench.FollowMe;
using Edge.Bench.Pipeline;

// `pipeline`, `service`, `reacquire`, `appearance-similarity`, `truth-sheets`, `truth-build` and `follow-video` are custom runners (one long measured run, not BenchmarkDotNet's repeated micro iterations);
// everything else goes to BenchmarkDotNet's switcher (e.g. --filter '*Overlay*').
if (args.Length > 0 && args[0] == "pipeline")
{
    return await PipelineEfficiencyRunner.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "service")
{
    return await ServiceEnduranceRunner.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "reacquire")
{
    return ReacquisitionStudy.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "truth-sheets")
{
    return TruthSheets.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "truth-build")
{
    return TruthBuilder.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "follow-video")
{
    return VideoFollowEvaluation.Run(args[1..]);
}
if (args.Length > 0 && args[0] == "appearance-similarity")
{
    return AppearanceSimilarityStudy.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
