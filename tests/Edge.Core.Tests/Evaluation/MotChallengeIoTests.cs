using Edge.Evaluation;

namespace Edge.Tests.Evaluation;

/// <summary>Reader/writer edge cases: the forms found in the wild (float ids, CRLF, blank lines, no final newline,
/// whitespace separators) and clear errors for everything else.</summary>
public sealed class MotChallengeIoTests
{
    private static MotFile Read(string text) => MotChallengeReader.Read(new StringReader(text), "test.txt");

    [Fact]
    public void Reads_Mot17GroundTruth_WithClassAndVisibility()
    {
        var file = Read("1,1,912,484,97,109,0,7,1\n2,3,10.5,20,30,40,1,1,0.25\n");
        Assert.Equal(9, file.ColumnCount);
        Assert.True(file.HasClasses);
        Assert.Equal(new MotRecord(2, 3, 10.5, 20, 30, 40, 1, 1, 0.25), file.Rows[1]);
        Assert.False(file.Rows[0].IsConsidered);
        Assert.Equal(2, file.MaxFrame);
    }

    [Fact]
    public void Reads_Mot15GroundTruth_WorldCoordinatesAreNotClasses()
    {
        // 2D MOT 2015 gt (TUD-Stadtmitte): columns 8-10 are world x, y, z, e.g. 4.4852.
        var file = Read("1,1,88,99,61.08,218.56,1,4.4852,5.5016,0\n");
        Assert.Equal(10, file.ColumnCount);
        Assert.False(file.HasClasses);
        Assert.Equal(-1, file.Rows[0].ClassId);
        Assert.Equal(MotBenchmark.Mot15, MotEvaluator.DetectBenchmark(file, "TUD-Stadtmitte"));
    }

    [Fact]
    public void Accepts_FloatIds_Crlf_BlankLines_AndNoFinalNewline()
    {
        var file = Read("1,0.0,666.36,682.99,102.24,220.99,1,-1,-1,-1\r\n\r\n  \r\n2,3.0,1,2,3,4,0.5,-1.0,-1.0,-1.0");
        Assert.Equal(2, file.Rows.Count);
        Assert.Equal(0, file.Rows[0].Id);
        Assert.Equal(3, file.Rows[1].Id);
        Assert.Equal(0.5, file.Rows[1].Confidence);
    }

    [Fact]
    public void Accepts_WhitespaceSeparatedRows()
    {
        var file = Read("1 2 3 4 5 6 0.9\n");
        Assert.Equal(new MotRecord(1, 2, 3, 4, 5, 6, 0.9), file.Rows[0]);
    }

    [Fact]
    public void Reads_PyMotMetricsIoTestFile()
    {
        // py-motmetrics' tests/test_io.py input: five rows over two frames, no final newline.
        var file = MotChallengeReader.ReadFile(TestData.Shared("data", "mot", "pymotmetrics", "iotest", "motchallenge.txt"));
        Assert.Equal(5, file.Rows.Count);
        Assert.Equal(new MotRecord(1, 1, 399, 182, 121, 229, 1), file.Rows[0]);
        Assert.Equal(new MotRecord(2, 4, 200, 206, 55, 137, 1), file.Rows[4]);
        Assert.All(file.Rows, r => Assert.InRange(r.Frame, 1, 2));
    }

    [Fact]
    public void Reads_DetectionFile()
    {
        // TUD-Campus Faster R-CNN detections (from abewley/sort): 321 rows over frames 1..71, id -1, first row as in
        // the file.
        var file = MotChallengeReader.ReadFile(TestData.Shared("data", "mot", "mot15", "train", "TUD-Campus", "det", "det.txt"));
        Assert.Equal(321, file.Rows.Count);
        Assert.All(file.Rows, r => Assert.Equal(-1, r.Id));
        Assert.Equal(71, file.MaxFrame);
        Assert.Equal(new MotRecord(1, -1, 281.931, 187.466, 79.93, 209.537, 0.997784), file.Rows[0]);
    }

    [Theory]
    [InlineData("1,2,3,4,5\n", "test.txt:1", "at least 6")]
    [InlineData("1,2,3,4,5,6\n1,x,3,4,5,6\n", "test.txt:2", "id is not a number")]
    [InlineData("\n1,2.5,3,4,5,6\n", "test.txt:2", "id must be a whole number")]
    [InlineData("0,1,3,4,5,6\n", "test.txt:1", "1-based")]
    [InlineData("1,1,3,4,5,NaN\n", "test.txt:1", "height is not a number")]
    public void BadInput_NamesFileAndLine(string text, string location, string problem)
    {
        var ex = Assert.Throws<EdgeException>(() => Read(text));
        Assert.Contains(location, ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void MissingFile_IsAClearError()
    {
        var ex = Assert.Throws<EdgeException>(() => MotChallengeReader.ReadFile("/nonexistent/gt.txt"));
        Assert.Contains("/nonexistent/gt.txt", ex.Message);
    }

    [Fact]
    public void Writer_ProducesSubmissionFormat_AndRoundTrips()
    {
        var rows = new[] { new MotRecord(1, 7, 10.25, 20, 30.5, 60, 0.875), new MotRecord(2, 7, 11, 21, 30, 61, 1) };
        var text = new StringWriter();
        MotChallengeWriter.Write(text, rows);
        Assert.Equal("1,7,10.25,20,30.5,60,0.875,-1,-1,-1\n2,7,11,21,30,61,1,-1,-1,-1\n", text.ToString());
        Assert.Equal(rows, Read(text.ToString()).Rows);
    }

    [Fact]
    public void SequenceInfo_ReadsSeqinfoIni()
    {
        var info = SequenceInfo.ReadFile(TestData.Shared("data", "mot", "mot17", "train", "MOT17-02-FRCNN", "seqinfo.ini"));
        Assert.Equal(new SequenceInfo("MOT17-02-FRCNN", 600, 30, 1920, 1080), info);
    }

    [Fact]
    public void SequenceInfo_ImageFolderComesFromImDir_WithMotChallengesImg1AsTheDefault()
    {
        var custom = SequenceInfo.Read(new StringReader("[Sequence]\nname=X\nimDir=frames\nseqLength=5\n"), "seqinfo.ini");
        Assert.Equal("frames", custom.ImageDirectory);
        Assert.Equal("img1", SequenceInfo.Read(new StringReader("[Sequence]\nseqLength=5\n"), "seqinfo.ini").ImageDirectory);

        string path = Path.Combine(TestData.NewTempDir("seqinfo"), "seqinfo.ini");
        custom.WriteFile(path);
        Assert.Equal(custom, SequenceInfo.ReadFile(path));
    }

    [Fact]
    public void SequenceInfo_MissingLength_NamesTheKey()
    {
        var ex = Assert.Throws<EdgeException>(() => SequenceInfo.Read(new StringReader("[Sequence]\nname=X\nframeRate=30\n"), "seqinfo.ini"));
        Assert.Contains("seqLength", ex.Message);
        Assert.Contains("seqinfo.ini", ex.Message);
    }
}
