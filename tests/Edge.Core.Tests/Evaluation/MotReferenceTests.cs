using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary>Reproduces TrackEval's published scores (the table in /work/shared/data/mot/README.md, produced with
/// JonathonLuiten/TrackEval; the MOTChallenge devkit and py-motmetrics agree on MOTA/IDF1). Ratios within 0.1
/// percentage point, counts exactly.</summary>
public sealed class MotReferenceTests
{
    private const double Tolerance = 0.001; // 0.1 percentage point on a 0..1 ratio (the README table's requirement)

    // The detailed CSVs carry TrackEval's full-precision doubles; the implementation follows TrackEval's arithmetic,
    // so only summation-order rounding (measured below 1e-14) separates the two.
    private const double CsvTolerance = 1e-9;

    [Theory]
    // tracker, sequence, HOTA, DetA, AssA, MOTA, MOTP, IDF1 (percent), IDSW, FP, FN, MT, ML, Frag
    [InlineData("Lif_T", "MOT17-02-DPM", 44.966, 37.620, 53.748, 40.466, 91.351, 50.283, 26, 19, 11017, 13, 29, 23)]
    [InlineData("Lif_T", "MOT17-02-FRCNN", 49.660, 44.448, 55.503, 47.414, 92.066, 57.199, 26, 89, 9656, 15, 22, 27)]
    [InlineData("Lif_T", "MOT17-02-SDP", 52.524, 50.608, 54.528, 55.045, 90.712, 61.253, 52, 65, 8236, 16, 16, 50)]
    [InlineData("Lif_T", "MOT17-04-DPM", 64.782, 61.786, 67.968, 69.885, 89.407, 73.937, 38, 298, 13986, 41, 22, 41)]
    [InlineData("Lif_T", "MOT17-04-FRCNN", 66.186, 60.830, 72.118, 67.540, 90.495, 74.146, 29, 98, 15310, 38, 21, 13)]
    [InlineData("Lif_T", "MOT17-04-SDP", 70.731, 68.132, 73.597, 77.740, 88.411, 81.767, 49, 242, 10295, 46, 13, 66)]
    [InlineData("Lif_T", "MOT17-05-DPM", 53.668, 50.251, 57.369, 58.204, 86.461, 67.041, 27, 40, 2824, 31, 40, 65)]
    [InlineData("Lif_T", "MOT17-05-FRCNN", 56.371, 52.879, 60.142, 60.185, 86.687, 68.905, 30, 73, 2651, 35, 36, 62)]
    [InlineData("Lif_T", "MOT17-05-SDP", 56.136, 56.172, 56.161, 64.016, 86.201, 69.451, 33, 105, 2351, 41, 22, 84)]
    [InlineData("Lif_T", "MOT17-09-DPM", 62.771, 66.812, 58.976, 72.901, 90.421, 71.600, 15, 58, 1370, 14, 1, 7)]
    [InlineData("Lif_T", "MOT17-09-FRCNN", 64.226, 66.823, 61.734, 71.549, 92.015, 72.884, 10, 54, 1451, 14, 1, 7)]
    [InlineData("Lif_T", "MOT17-09-SDP", 63.955, 67.286, 60.789, 73.014, 90.666, 72.989, 12, 69, 1356, 14, 1, 12)]
    [InlineData("CEM", "TUD-Campus", 39.140, 41.805, 36.912, 52.646, 72.280, 55.766, 7, 13, 150, 1, 1, 7)]
    [InlineData("CEM", "TUD-Stadtmitte", 39.785, 39.227, 40.884, 56.401, 65.410, 64.462, 7, 45, 452, 5, 1, 6)]
    [InlineData("SORT", "TUD-Campus", 45.257, 48.825, 42.282, 62.674, 73.677, 60.645, 6, 15, 113, 6, 0, 9)]
    [InlineData("SORT", "TUD-Stadtmitte", 53.034, 54.904, 51.276, 71.713, 75.235, 73.467, 10, 22, 295, 6, 0, 16)]
    [InlineData("MPNTrack", "MOT20-01", 54.684, 55.464, 54.112, 65.868, 83.273, 67.694, 53, 391, 6338, 31, 10, 50)]
    public void Sequence_MatchesTrackEval(
        string tracker, string sequence, double hota, double detA, double assA, double mota, double motp, double idf1,
        int idsw, int fp, int fn, int mt, int ml, int frag)
    {
        var m = MotReferenceCases.Evaluate(tracker, sequence);
        AssertMatches(m, hota, detA, assA, mota, motp, idf1, idsw, fp, fn, mt, ml, frag);
    }

    [Fact]
    public void TudCombined_Cem_MatchesTrackEvalCombinedRow()
    {
        // README row "TUD combined (CEM)": counts summed, HOTA per alpha from summed TP/FN/FP, AssA weighted by TP.
        var combined = MotMetrics.Combine([MotReferenceCases.Evaluate("CEM", "TUD-Campus"), MotReferenceCases.Evaluate("CEM", "TUD-Stadtmitte")]);
        AssertMatches(combined, 39.996, 39.768, 41.245, 55.512, 66.982, 62.430, 14, 58, 602, 6, 2, 13);
    }

    [Theory]
    [InlineData("MOT17-train", "Lif_T", "Lif_T")]
    [InlineData("MOT15-train", "CEM_pymotmetrics", "CEM")]
    [InlineData("MOT15-train", "SORT", "SORT")]
    [InlineData("MOT20-train", "MPNTrack", "MPNTrack")]
    public void EveryField_MatchesTrackEvalDetailedCsv(string benchmarkFolder, string trackerFolder, string tracker)
    {
        // Beyond the README table: every per-alpha HOTA component and every count TrackEval wrote, per sequence and
        // for the COMBINED row.
        var reference = MotReferenceCases.ReadTrackEvalCsv(benchmarkFolder, trackerFolder);
        var perSequence = new List<MotMetrics>();
        foreach (var (sequence, expected) in reference.Where(r => r.Key != "COMBINED"))
        {
            var m = MotReferenceCases.Evaluate(tracker, sequence);
            perSequence.Add(m);
            AssertAllFields(sequence, m, expected);
        }
        if (reference.TryGetValue("COMBINED", out var combined))
        {
            AssertAllFields("COMBINED", MotMetrics.Combine(perSequence), combined);
        }
    }

    private static void AssertAllFields(string sequence, MotMetrics m, Dictionary<string, double> expected)
    {
        var failures = new List<string>();
        void Count(string field, double actual)
        {
            if (actual != expected[field])
            {
                failures.Add($"{field}: expected {expected[field]}, got {actual}");
            }
        }
        void Ratio(string field, double actual)
        {
            if (Math.Abs(actual - expected[field]) > CsvTolerance)
            {
                failures.Add($"{field}: expected {expected[field]:R}, got {actual:R}");
            }
        }

        var c = m.Clear;
        Count("CLR_TP", c.TruePositives);
        Count("CLR_FN", c.FalseNegatives);
        Count("CLR_FP", c.FalsePositives);
        Count("IDSW", c.IdSwitches);
        Count("MT", c.MostlyTracked);
        Count("PT", c.PartiallyTracked);
        Count("ML", c.MostlyLost);
        Count("Frag", c.Fragmentations);
        Ratio("MOTA", c.Mota);
        Ratio("MOTP", c.Motp);
        Ratio("MODA", c.Moda);
        Ratio("CLR_Re", c.Recall);
        Ratio("CLR_Pr", c.Precision);
        Count("IDTP", m.Identity.IdTruePositives);
        Count("IDFN", m.Identity.IdFalseNegatives);
        Count("IDFP", m.Identity.IdFalsePositives);
        Ratio("IDF1", m.Identity.Idf1);
        Ratio("IDR", m.Identity.IdRecall);
        Ratio("IDP", m.Identity.IdPrecision);
        var h = m.Hota;
        for (int a = 0; a < HotaMetrics.AlphaCount; a++)
        {
            string suffix = "___" + (5 * (a + 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Count("HOTA_TP" + suffix, h.TruePositives[a]);
            Count("HOTA_FN" + suffix, h.FalseNegatives[a]);
            Count("HOTA_FP" + suffix, h.FalsePositives[a]);
            Ratio("HOTA" + suffix, h.HotaPerAlpha[a]);
            Ratio("DetA" + suffix, h.DetAPerAlpha[a]);
            Ratio("AssA" + suffix, h.AssAPerAlpha[a]);
            Ratio("AssRe" + suffix, h.AssRePerAlpha[a]);
            Ratio("AssPr" + suffix, h.AssPrPerAlpha[a]);
            Ratio("LocA" + suffix, h.LocAPerAlpha[a]);
        }
        Ratio("HOTA___AUC", h.Hota);
        Ratio("DetA___AUC", h.DetA);
        Ratio("AssA___AUC", h.AssA);
        Ratio("DetRe___AUC", h.DetRe);
        Ratio("DetPr___AUC", h.DetPr);
        Ratio("AssRe___AUC", h.AssRe);
        Ratio("AssPr___AUC", h.AssPr);
        Ratio("LocA___AUC", h.LocA);
        Assert.True(failures.Count == 0, $"{sequence}: {string.Join("; ", failures)}");
    }

    private static void AssertMatches(
        MotMetrics m, double hota, double detA, double assA, double mota, double motp, double idf1,
        int idsw, int fp, int fn, int mt, int ml, int frag)
    {
        Assert.Equal(hota / 100, m.Hota.Hota, Tolerance);
        Assert.Equal(detA / 100, m.Hota.DetA, Tolerance);
        Assert.Equal(assA / 100, m.Hota.AssA, Tolerance);
        Assert.Equal(mota / 100, m.Clear.Mota, Tolerance);
        Assert.Equal(motp / 100, m.Clear.Motp, Tolerance);
        Assert.Equal(idf1 / 100, m.Identity.Idf1, Tolerance);
        Assert.Equal(idsw, m.Clear.IdSwitches);
        Assert.Equal(fp, m.Clear.FalsePositives);
        Assert.Equal(fn, m.Clear.FalseNegatives);
        Assert.Equal(mt, m.Clear.MostlyTracked);
        Assert.Equal(ml, m.Clear.MostlyLost);
        Assert.Equal(frag, m.Clear.Fragmentations);
    }
}
