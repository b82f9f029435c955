using Edge.Geometry;
using Edge.Tracking;

namespace Edge.Tests.Tracking;

public class KalmanBoxFilterTests
{
    // Box x1=10, y1=20, w=20, h=40: centre (20, 40), a = 0.5, h = 40.
    private static readonly BoxF Box = BoxF.FromXywh(10, 20, 20, 40);

    [Fact]
    public void Initiate_UsesByteTrackNoiseWeights()
    {
        var s = new KalmanBoxState();
        KalmanBoxFilter.Initiate(ref s, Box);
        Assert.Equal([20, 40, 0.5, 40, 0, 0, 0, 0], ((ReadOnlySpan<double>)s.Mean).ToArray());
        // std position 2·h/20 = 4 → 16; velocity 10·h/160 = 2.5 → 6.25; aspect 1e-2 and 1e-5.
        Assert.Equal(16, s.Covariance[0], 12);
        Assert.Equal(16, s.Covariance[9], 12);
        Assert.Equal(1e-4, s.Covariance[18], 12);
        Assert.Equal(16, s.Covariance[27], 12);
        Assert.Equal(6.25, s.Covariance[36], 12);
        Assert.Equal(1e-10, s.Covariance[54], 15);
        Assert.Equal(0, s.Covariance[1]);
    }

    [Fact]
    public void PredictThenUpdate_MatchesHandComputedValues()
    {
        var s = new KalmanBoxState();
        KalmanBoxFilter.Initiate(ref s, Box);
        KalmanBoxFilter.Predict(ref s);
        // P_xx = 16 + 6.25 + (h/20)² = 26.25; P_x,vx = 6.25; P_vx,vx = 6.25 + (h/160)² = 6.3125.
        Assert.Equal(26.25, s.Covariance[0], 12);
        Assert.Equal(6.25, s.Covariance[4], 12);
        Assert.Equal(6.25, s.Covariance[32], 12);
        Assert.Equal(6.3125, s.Covariance[36], 12);

        // Measure the box 10 px to the right. S_xx = 26.25 + (h/20)² = 30.25, gain 26.25/30.25 for x, 6.25/30.25 for vx.
        KalmanBoxFilter.Update(ref s, BoxF.FromXywh(20, 20, 20, 40));
        Assert.Equal(20 + (10 * 26.25 / 30.25), s.Mean[0], 9);
        Assert.Equal(10 * 6.25 / 30.25, s.Mean[4], 9);
        Assert.Equal(40, s.Mean[1], 9);
        Assert.Equal(26.25 - (26.25 * 26.25 / 30.25), s.Covariance[0], 9);
        Assert.Equal(6.3125 - (6.25 * 6.25 / 30.25), s.Covariance[36], 9);
        // Symmetric after the update.
        Assert.Equal(s.Covariance[4], s.Covariance[32], 12);
    }

    [Fact]
    public void Predict_MovesByVelocity()
    {
        var s = new KalmanBoxState();
        KalmanBoxFilter.Initiate(ref s, Box);
        s.Mean[4] = 3;
        s.Mean[5] = -2;
        KalmanBoxFilter.Predict(ref s);
        Assert.Equal(23, s.Mean[0], 12);
        Assert.Equal(38, s.Mean[1], 12);
        var b = s.Box;
        Assert.Equal(13f, b.X1, 4);
        Assert.Equal(18f, b.Y1, 4);
        Assert.Equal(20f, b.Width, 4);
    }

    [Fact]
    public void GatingDistance_IsSquaredMahalanobis()
    {
        var s = new KalmanBoxState();
        KalmanBoxFilter.Initiate(ref s, Box);
        Assert.Equal(0, KalmanBoxFilter.GatingDistance(s, Box), 9);
        // dx = 10 with S_xx = 16 + (h/20)² = 20 and the other axes unchanged: 100 / 20 = 5.
        Assert.Equal(5, KalmanBoxFilter.GatingDistance(s, BoxF.FromXywh(20, 20, 20, 40)), 9);
    }

    [Fact]
    public void CameraMotion_TranslatesAndScales()
    {
        var s = new KalmanBoxState();
        KalmanBoxFilter.Initiate(ref s, Box);
        s.Mean[4] = 1;
        double pxx = s.Covariance[0];
        KalmanBoxFilter.ApplyCameraMotion(ref s, new Affine2D(1, 0, 5, 0, 1, -3));
        Assert.Equal(25, s.Mean[0], 9);
        Assert.Equal(37, s.Mean[1], 9);
        Assert.Equal(pxx, s.Covariance[0], 9);

        // Zoom by 2 about the origin: centre, height and velocity double, aspect stays, variances ×4.
        KalmanBoxFilter.ApplyCameraMotion(ref s, new Affine2D(2, 0, 0, 0, 2, 0));
        Assert.Equal(50, s.Mean[0], 9);
        Assert.Equal(74, s.Mean[1], 9);
        Assert.Equal(0.5, s.Mean[2], 9);
        Assert.Equal(80, s.Mean[3], 9);
        Assert.Equal(2, s.Mean[4], 9);
        Assert.Equal(4 * pxx, s.Covariance[0], 9);
        Assert.Equal(4 * 16, s.Covariance[27], 9);
    }
}
