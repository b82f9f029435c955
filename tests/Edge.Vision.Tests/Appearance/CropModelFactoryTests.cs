using Edge.Appearance;
using Edge.FollowMe;

namespace Edge.Tests.Appearance;

public class CropModelFactoryTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("histogram", false)]
    [InlineData("osnet_x0_25_msmt17", true)]
    public void FollowMeGetsTheReidSettingsOnlyWithAReidModel(string? reid, bool expectReid)
    {
        // The histogram's spread fires the switch check on the target itself and vouches for look-alikes
        // (docs/follow-me.md, vtest.avi), so both stay off without a re-id model.
        var defaults = new FollowOptions { FrameRate = 10f };

        FollowOptions options = CropModelFactory.WithFollowFloor(new CropModelSettings { Reid = reid }, defaults);

        if (expectReid)
        {
            Assert.Equal(CropModelFactory.ReidMinFollowSimilarity, options.MinAppearanceSimilarity);
            Assert.Equal(CropModelFactory.ReidAppearanceSwitchFrames, options.AppearanceSwitchFrames);
            Assert.Equal(CropModelFactory.ReidVouchSimilarity, options.VouchSimilarity);
            Assert.True(options.VouchSimilarity > options.MinAppearanceSimilarity, "a vouch must be stronger than the floor");
            Assert.Equal(defaults.FrameRate, options.FrameRate);
        }
        else
        {
            Assert.Equal(defaults, options);
            Assert.Equal(0f, options.VouchSimilarity);
        }
    }
}
