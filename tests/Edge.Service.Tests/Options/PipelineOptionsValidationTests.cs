using Edge.FollowMe;
using Edge.Service.Options;

namespace Edge.Service.Tests.Options;

/// <summary>The <c>edge run</c> option validators: the shared <c>--select</c> grammar under its configuration key,
/// the reconnect backoff bounds.</summary>
public class PipelineOptionsValidationTests
{
    [Theory]
    [InlineData("largest", TargetSelectionKind.Largest)]
    [InlineData(" Center ", TargetSelectionKind.NearestCenter)]
    [InlineData("id:7", TargetSelectionKind.TrackId)]
    [InlineData("point:320,240", TargetSelectionKind.Point)]
    [InlineData("region:0,0,100,200", TargetSelectionKind.FirstEnteringRegion)]
    [InlineData("label:hi-vis", TargetSelectionKind.Label)]
    public void FollowSelect_AcceptsTheEdgeFollowGrammar(string select, TargetSelectionKind kind)
    {
        var options = new FollowServiceOptions { Select = select };
        Assert.True(new FollowServiceOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(kind, options.InitialSelection()!.Value.Kind);
    }

    [Theory]
    [InlineData("biggest")]
    [InlineData("id:0")]
    [InlineData("region:10,10,5,50")]
    [InlineData("label:")]
    public void FollowSelect_RejectsBadText_NamingTheKey(string select)
    {
        var result = new FollowServiceOptionsValidator().Validate(null, new FollowServiceOptions { Select = select });
        Assert.True(result.Failed);
        Assert.StartsWith($"Edge:Follow:Select '{select}' is not valid: use largest, center, id:N", result.FailureMessage);
    }

    [Fact]
    public void EmptySelect_WaitsForAClick() => Assert.Null(new FollowServiceOptions { Select = " " }.InitialSelection());

    [Fact]
    public void ReconnectBackoff_MaxBelowFirstDelay_NamesTheKey()
    {
        var result = new SourceOptionsValidator().Validate(null, new SourceOptions { Uri = "0", ReconnectDelaySeconds = 5, ReconnectMaxDelaySeconds = 1 });
        Assert.Equal("Edge:Source:ReconnectMaxDelaySeconds must be >= Edge:Source:ReconnectDelaySeconds (got 1).", result.FailureMessage);
        var capture = new SourceOptions { Uri = "0", ReconnectDelaySeconds = 0.5, ReconnectMaxDelaySeconds = 8, Loop = true }.ToCapture();
        Assert.Equal((TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(8)), (capture.Reconnect.Backoff.Initial, capture.Reconnect.Backoff.Max));
        Assert.True(capture.Reconnect.RetryFirstOpen && capture.Loop);
    }
}
