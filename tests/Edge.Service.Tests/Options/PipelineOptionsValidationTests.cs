using Edge.FollowMe;
using Edge.Service.Options;
using Microsoft.Extensions.Configuration;

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
    public void VideoSegments_MapToRollingSegments_AndBadValuesNameTheirKeys()
    {
        var rolling = new OutputOptions { Video = "live.mp4", VideoSegmentSeconds = 300, VideoSegmentsKeep = 12 };
        Assert.True(new OutputOptionsValidator().Validate(null, rolling).Succeeded);
        Assert.Equal((TimeSpan.FromMinutes(5), (int?)12), (rolling.VideoSegments()!.Length, rolling.VideoSegments()!.Keep));
        Assert.Null(new OutputOptions { Video = "live.mp4" }.VideoSegments());
        Assert.Null(new OutputOptions { VideoSegmentSeconds = 60 }.VideoSegments()!.Keep);

        var bad = new OutputOptionsValidator().Validate(null, new OutputOptions { VideoSegmentSeconds = -1, VideoSegmentsKeep = -2 });
        Assert.True(bad.Failed);
        Assert.Contains("Edge:Output:VideoSegmentSeconds", bad.FailureMessage);
        Assert.Contains("Edge:Output:VideoSegmentsKeep", bad.FailureMessage);
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
        Assert.Equal(Edge.Capture.CameraMode.DriverDefault, capture.CameraMode);
        Assert.Equal(new Edge.Capture.CameraMode(1280, 720, 30), new SourceOptions { Uri = "0", Width = 1280, Height = 720, Fps = 30 }.ToCapture().CameraMode);
    }

    [Fact]
    public void Tracking_ReidModelFromTheModelsFolder_AndClassesFromConfiguration_AreValid()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Edge:Tracking:Reid"] = Edge.Tests.TestData.Model("osnet_x0_25_msmt17.onnx"),
            ["Edge:Tracking:ReidBudget"] = "4",
            ["Edge:Tracking:ClassifyClasses"] = "person, 2",
        }).Build();
        var options = config.GetSection(TrackingServiceOptions.Section).Get<TrackingServiceOptions>()!;
        Assert.True(new TrackingServiceOptionsValidator().Validate(null, options).Succeeded);
        var settings = options.ToSettings();
        Assert.Equal((true, false, 4), (settings.UsesReidModel, settings.UsesClassifier, settings.ReidBudget));
        Assert.Equal(["person", "2"], settings.ClassifyClasses);
    }

    [Fact]
    public void Tracking_BadNumbersAndMissingModels_NameTheirKeys()
    {
        var result = new TrackingServiceOptionsValidator().Validate(null, new TrackingServiceOptions
        {
            Reid = "no_such_reid_model",
            ReidBudget = 0,
            Classifier = "no_such_classifier",
            ClassifyClasses = " , ",
            ClassifyEvery = 0,
            ClassifyMinVotes = -1,
        });
        Assert.False(result.Succeeded);
        var failures = result.Failures!.ToList();
        Assert.Equal(
            ["Edge:Tracking:ReidBudget must be at least 1; got 0",
             "Edge:Tracking:ClassifyEvery must be at least 1; got 0",
             "Edge:Tracking:ClassifyMinVotes must be at least 1; got -1",
             "Edge:Tracking:ClassifyClasses needs at least one detector class."],
            failures.Take(4));
        Assert.StartsWith("Edge:Tracking:Reid: ", failures[4]);
        Assert.Contains("no_such_reid_model", failures[4]);
        Assert.StartsWith("Edge:Tracking:Classifier: ", failures[5]);
        Assert.Equal(6, failures.Count);
    }

    [Fact]
    public void Tracking_NoCropModels_StillRefusesBadNumbers()
    {
        // A wrong number fails at start even while its model is not configured, rather than when someone adds it.
        var result = new TrackingServiceOptionsValidator().Validate(null, new TrackingServiceOptions { ReidBudget = 0, ClassifyEvery = 0 });
        Assert.Equal(["Edge:Tracking:ReidBudget must be at least 1; got 0", "Edge:Tracking:ClassifyEvery must be at least 1; got 0"], result.Failures!);
        Assert.True(new TrackingServiceOptionsValidator().Validate(null, new TrackingServiceOptions()).Succeeded);
        Assert.True(new TrackingServiceOptionsValidator().Validate(null, new TrackingServiceOptions { Reid = "histogram" }).Succeeded);
    }

    [Fact]
    public void Tracking_WarmUpChecks_NameTheirKeys()
    {
        // Need the detector's classes or the tracker choice, so they run when the pipeline is built, not at start.
        var classes = new Edge.Appearance.CropModelSettings { Classifier = "unused.onnx", ClassifyClasses = ["person", "dog"] };
        var ex = Assert.Throws<EdgeException>(() => Edge.Appearance.CropModelFactory.CreateClassification(classes, TrackingServiceOptions.Key, ["person", "car"]));
        Assert.Equal("Edge:Tracking:ClassifyClasses: 'dog' is not a class of the detector (person, car).", ex.Message);
        var sort = new Edge.Appearance.CropModelSettings { Reid = "osnet_x0_25_msmt17" };
        ex = Assert.Throws<EdgeException>(() => Edge.Appearance.CropModelFactory.CreateTracking(sort, TrackingServiceOptions.Key, "sort", 30, ["person"]));
        Assert.Equal("Edge:Tracking:Reid needs the default or reference tracker (SORT has no appearance).", ex.Message);
    }
}
