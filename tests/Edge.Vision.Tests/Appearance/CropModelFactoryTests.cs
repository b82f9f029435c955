using Edge.Appearance;
using Edge.FollowMe;

namespace Edge.Tests.Appearance;

public class CropModelFactoryTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("histogram", false)]
    [InlineData("osnet_x0_25_msmt17", true)]
    public void FollowMeGetsTheReidVouchOnlyWithAReidModel(string? reid, bool expectReid)
    {
        // A re-id model gets its own vouch (its views of different people stay lower than the histogram's); the
        // histogram runs the defaults.
        var defaults = new FollowOptions { FrameRate = 10f };

        FollowOptions options = CropModelFactory.ForAppearanceSource(new CropModelSettings { Reid = reid }, defaults);

        if (expectReid)
        {
            Assert.Equal(0.6f, options.MinAppearanceSimilarity);
            Assert.Equal(3, options.AppearanceSwitchFrames);
            Assert.Equal(CropModelFactory.ReidVouchSimilarity, options.VouchSimilarity);
            Assert.Equal(defaults with { VouchSimilarity = CropModelFactory.ReidVouchSimilarity }, options);
            Assert.True(options.VouchSimilarity > options.MinAppearanceSimilarity, "a vouch must be stronger than the floor");
            Assert.Equal(defaults.FrameRate, options.FrameRate);
        }
        else
        {
            Assert.Equal(defaults, options);
            Assert.True(options.AppearanceSwitchFrames > 0, "the histogram also checks the locked id for switches");
            Assert.True(options.VouchSimilarity > CropModelFactory.ReidVouchSimilarity, "the histogram vouches higher than re-id");
        }
    }
}
