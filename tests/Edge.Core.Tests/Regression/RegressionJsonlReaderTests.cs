using Edge.Geometry;
using Edge.Regression;

namespace Edge.Tests.Regression;

public class RegressionJsonlReaderTests
{
    [Fact]
    public void ReadsDetectionsAndFollowAndIgnoresUnknownFields()
    {
        const string text = """
            {"frame":0,"t":0,"detections":[{"class":0,"name":"person","score":0.83,"box":[1,2,3,4],"label":"adult","attributes":{"hat":0.9}}],"follow":{"state":"locked","trackId":3,"box":[1,2,3,4],"offsetX":0.1,"offsetY":-0.2,"height":0.3,"vx":0.01,"vy":0,"confidence":1,"steer":[0.5,-0.25]},"classifier":"v2"}

            {"frame":1,"t":0.1,"detections":[]}
            """;

        var frames = RegressionJsonlReader.Read(new StringReader(text), "f.jsonl");

        Assert.Equal(2, frames.Count);
        Assert.Equal(new RegressionBox(0, 0.83, new BoxF(1, 2, 3, 4)), Assert.Single(frames[0].Detections));
        Assert.Equal("locked", frames[0].Follow!.State);
        Assert.Equal([0.1, -0.2, 0.3, 0.01, 0, 1, 0.5, -0.25], frames[0].Follow!.Values);
        Assert.Null(frames[1].Follow);
    }

    [Theory]
    [InlineData("{\"frame\":0,\"detections\":[]}\n{\"frame\":1,\"detec", 2)]
    [InlineData("{\"frame\":0,\"detections\":[{\"class\":0,\"score\":0.5,\"box\":[1,2,3]}]}", 1)]
    [InlineData("{\"t\":0,\"detections\":[]}", 1)]
    public void ABadLineFailsWithTheSourceAndLine(string text, int line)
    {
        var ex = Assert.Throws<EdgeException>(() => RegressionJsonlReader.Read(new StringReader(text), "golden/frames.jsonl.gz"));

        Assert.StartsWith($"golden/frames.jsonl.gz:{line}:", ex.Message);
    }
}
